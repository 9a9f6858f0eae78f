// Generated from schemas/user-webhook-summary.json by npm run generate; do not edit.
/**
 * What both the owner (`UserWebhook`) and moderators (`ModeratorUserWebhook`) see of a user webhook: its subscription and status.
 */
export interface UserWebhookSummary {
	id: string;
	userId: string;
	name: string;
	/**
	 * The event types the webhook is subscribed to, as the owner gave them (repeats removed). The module knows mention, unfollow, follow, followed, note, reply, renote, reaction (Misskey's) and noteEdited, noteDeleted, followRequestReceived, followRequestAccepted (ours); any other string is kept and answered as given, and matches no event.
	 */
	on: string[];
	active: boolean;
	/**
	 * Time of the last attempt.
	 */
	latestSentAt: string | null;
	/**
	 * HTTP status of the last attempt; 1 for a failure without a response. Failing = not null and not 200, 201 or 204 (Misskey's status icon).
	 */
	latestStatus: number | null;
	/**
	 * Our addition, not in Misskey: who paused the webhook, null when it is not paused. `moderator`: a moderator did (admin/webhooks/update), and only a moderator can re-activate it; `auto`: the module paused it after every delivery failed for the auto-disable window; `gone`: the module paused it when the receiver answered 410 Gone; the owner's `active: true` lifts either.
	 */
	pausedBy: 'moderator' | 'auto' | 'gone' | null;
	/**
	 * Our addition, not in Misskey: the reason given with the pause, null when none was given or it is not paused.
	 */
	pausedReason: string | null;
	/**
	 * Our addition, not in Misskey: when the webhook was paused, null when it is not paused.
	 */
	pausedAt: string | null;
}
