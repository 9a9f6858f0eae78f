// Generated from schemas/user-webhook.json by npm run generate; do not edit.
import type { WebhookFilter } from './webhook-filter.js';

/**
 * A user webhook as returned by `i/webhooks/*` (Misskey `UserWebhook`, plus our `paused*` fields and delivery options); the secret is in clear text, the replaced secret of a rotation never.
 */
export interface UserWebhook {
	id: string;
	userId: string;
	name: string;
	/**
	 * The event types the webhook is subscribed to, as the owner gave them (repeats removed). The module knows mention, unfollow, follow, followed, note, reply, renote, reaction (Misskey's) and noteEdited, noteDeleted, followRequestReceived, followRequestAccepted (ours); any other string is kept and answered as given, and matches no event.
	 */
	on: string[];
	/**
	 * Not validated as a URL, like Misskey.
	 */
	url: string;
	/**
	 * In clear for the owner's own (native) token; `''` when withheld (see `secretWithheld`).
	 */
	secret: string;
	/**
	 * Our addition, not in Misskey: present when `list` or `show` answered an app (non-native) token, which never reads the secret; `secret` is then `''`.
	 */
	secretWithheld?: true;
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
	/**
	 * Our addition, not in Misskey: the retry preset of this webhook's deliveries. `misskey`: 4 attempts over about 11 minutes, as Misskey; `standard`: 10 attempts over about 75 hours (Standard Webhooks).
	 */
	retryPolicy: 'misskey' | 'standard';
	/**
	 * Our addition, not in Misskey: whether deliveries still carry the secret in clear in `X-Misskey-Hook-Secret` beside the `webhook-signature` header. Default true, as Misskey.
	 */
	sendSecretHeader: boolean;
	/**
	 * Our addition, not in Misskey: after a secret change, until when deliveries are signed with the replaced secret too; null when no replaced secret signs. The replaced secret itself is never shown.
	 */
	previousSecretExpiresAt: string | null;
	/**
	 * Our addition, not in Misskey: `note` events leave out direct (`specified`) notes.
	 */
	excludeSpecifiedNotes: boolean;
	/**
	 * Our addition, not in Misskey: `note` events leave out followers-only notes.
	 */
	excludeFollowersNotes: boolean;
	/**
	 * Our addition, not in Misskey: the body of this webhook's deliveries. `misskey` (the default): Misskey's JSON envelope, byte for byte; `discord`: a Discord Execute Webhook message (an embed); `slack`: a Slack incoming webhook message (Block Kit); `teams`: a Microsoft Teams workflow message with an Adaptive Card; `googlechat`: a Google Chat incoming webhook message (a card); `telegram`: a Telegram Bot API sendMessage body (the URL names the bot and chat_id); `ntfy`: an ntfy JSON publish (the URL is the topic's); `gotify`: a Gotify message (the URL carries the app token). Headers and signatures are the same in every format; see docs/formats.md.
	 */
	format: 'misskey' | 'discord' | 'slack' | 'teams' | 'googlechat' | 'telegram' | 'ntfy' | 'gotify';
	/**
	 * Our addition, not in Misskey: at most this many deliveries a second to this webhook, shared by every worker process; a delivery over it waits in the queue without holding a worker. null (the default): the format's default, 2 a second for `discord`, 1 for `slack` and `googlechat`, 20 a minute for `telegram`, one every 5 s (burst 60) for `ntfy`, none for the others; see docs/rate-limits.md.
	 */
	deliveryRate: number | null;
	/**
	 * Our addition, not in Misskey: how many deliveries may go at once after a quiet spell before `deliveryRate` spaces them. null (the default): 1 with a rate of the webhook's own, the format's burst otherwise; see docs/rate-limits.md.
	 */
	deliveryBurst: number | null;
	/**
	 * Our addition, not in Misskey: the payload template that makes the body of this webhook's deliveries instead of the format (mustache placeholders over Misskey's envelope, such as {{body.note.text}}), or null for none. See docs/formats.md.
	 */
	template: string | null;
	/**
	 * Our addition, not in Misskey: what the template renders to, and the Content-Type its body is sent with. `application/json` (the default): placeholders are escaped as JSON and the body must parse; `text/plain`: placeholders are inserted as they are.
	 */
	templateContentType: 'application/json' | 'text/plain';
	/**
	 * Our addition, not in Misskey: the content filter on the event body; an event it refuses is not delivered to this webhook. null: every event of `on` is delivered. See docs/filters.md.
	 */
	filter: WebhookFilter | null;
}
