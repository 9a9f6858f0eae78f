// Generated from schemas/webhook-delivery-detail.json by npm run generate; do not edit.
import type { WebhookDelivery } from './webhook-delivery.js';
import type { WebhookDeliveryAttempt } from './webhook-delivery-attempt.js';

/**
 * One delivery with its event body and every attempt, first to last (`i/webhooks/deliveries/show`, ours); never the secret.
 */
export type WebhookDeliveryDetail = WebhookDelivery & {
	/**
	 * The event body, as the envelope's `body` carries it.
	 */
	body: {
		[k: string]: unknown;
	};
	attempts: WebhookDeliveryAttempt[];
};
