// Generated from schemas/moderator-user-webhook.json by npm run generate; do not edit.
import type { UserLite } from './user-lite.js';

/**
 * A user webhook as `admin/webhooks/list` shows it to moderators (our endpoint, no Misskey equivalent): owner and status, never the secret.
 */
export interface ModeratorUserWebhook {
	id: string;
	userId: string;
	/**
	 * The owner.
	 */
	user: UserLite;
	name: string;
	/**
	 * The event types the webhook is subscribed to, as the owner gave them (repeats removed). The module knows mention, unfollow, follow, followed, note, reply, renote, reaction (Misskey's) and noteEdited, noteDeleted, followRequestReceived, followRequestAccepted (ours); any other string is kept and answered as given, and matches no event.
	 */
	on: string[];
	/**
	 * Redacted: the scheme and host, then `/(redacted)`. The rest of a URL is often the receiver's credential, so moderators never see it whole.
	 */
	url: string;
	/**
	 * Whether the owner set a non-empty secret; the secret itself is never shown to moderators.
	 */
	hasSecret: boolean;
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
	 * Who paused the webhook, null when it is not paused (see UserWebhook).
	 */
	pausedBy: 'moderator' | 'auto' | 'gone' | null;
	/**
	 * The reason given with the pause.
	 */
	pausedReason: string | null;
	/**
	 * When the webhook was paused.
	 */
	pausedAt: string | null;
	/**
	 * The moderator who paused it; never shown to the owner.
	 */
	pausedByUserId: string | null;
	/**
	 * Our addition, not in Misskey: the body of this webhook's deliveries. `misskey` (the default): Misskey's JSON envelope, byte for byte; `discord`: a Discord Execute Webhook message (an embed); `slack`: a Slack incoming webhook message (Block Kit); `teams`: a Microsoft Teams workflow message with an Adaptive Card; `googlechat`: a Google Chat incoming webhook message (a card); `telegram`: a Telegram Bot API sendMessage body (the URL names the bot and chat_id); `ntfy`: an ntfy JSON publish (the URL is the topic's); `gotify`: a Gotify message (the URL carries the app token). Headers and signatures are the same in every format; see docs/formats.md.
	 */
	format: 'misskey' | 'discord' | 'slack' | 'teams' | 'googlechat' | 'telegram' | 'ntfy' | 'gotify';
}
