// Generated from schemas/user-webhook.json by npm run generate; do not edit.
/**
 * A user webhook as returned by `i/webhooks/*` (Misskey `UserWebhook`, plus our `paused*` fields); the secret is in clear text.
 */
export interface UserWebhook {
	id: string;
	userId: string;
	name: string;
	on: ('mention' | 'unfollow' | 'follow' | 'followed' | 'note' | 'reply' | 'renote' | 'reaction')[];
	/**
	 * Not validated as a URL, like Misskey.
	 */
	url: string;
	secret: string;
	active: boolean;
	/**
	 * Time of the last attempt.
	 */
	latestSentAt: string | null;
	/**
	 * HTTP status of the last attempt; 1 for a failure without a response.
	 */
	latestStatus: number | null;
	/**
	 * Our addition, not in Misskey: who paused the webhook, null when it is not paused. `moderator`: a moderator did (admin/webhooks/update), and only a moderator can re-activate it; `auto` and `gone` are reserved for pauses by the module itself.
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
