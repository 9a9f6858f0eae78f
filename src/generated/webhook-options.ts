// Generated from schemas/webhook-options.json by npm run generate; do not edit.
import type { WebhookFilter } from './webhook-filter.js';
import type { WebhookFormat } from './webhook-format.js';

/**
 * Our addition, not in Misskey: the delivery options a user webhook (`UserWebhook`) and a system webhook (`SystemWebhook`) both answer.
 */
export interface WebhookOptions {
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
	format: WebhookFormat;
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
