// Generated from schemas/moderator-user-webhook.json by npm run generate; do not edit.
import type { UserLite } from './user-lite.js';
import type { UserWebhookSummary } from './user-webhook-summary.js';
import type { WebhookFormat } from './webhook-format.js';

/**
 * A user webhook as `admin/webhooks/list` shows it to moderators (our endpoint, no Misskey equivalent): owner and status, never the secret.
 */
export type ModeratorUserWebhook = UserWebhookSummary & {
	/**
	 * The owner.
	 */
	user: UserLite;
	/**
	 * Redacted: the scheme and host, then `/(redacted)`. The rest of a URL is often the receiver's credential, so moderators never see it whole.
	 */
	url: string;
	/**
	 * Whether the owner set a non-empty secret; the secret itself is never shown to moderators.
	 */
	hasSecret: boolean;
	/**
	 * The moderator who paused it; never shown to the owner.
	 */
	pausedByUserId: string | null;
	format: WebhookFormat;
};
