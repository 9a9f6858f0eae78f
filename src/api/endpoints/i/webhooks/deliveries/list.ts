import { defineEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDelivery } from '../../../../packing/pack-webhook-delivery.js';
import { listDeliveriesParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `i/webhooks/deliveries/list` (ours): one of the caller's webhooks' deliveries, newest first, as
 * `WebhookDelivery` (never the secret or the body); `status` filters, `sinceId` / `untilId` select as Misskey's
 * pagination does. Another user's webhook looks missing.
 */
export const listWebhookDeliveriesEndpoint = defineEndpoint({
	name: 'i/webhooks/deliveries/list',
	kind: 'read:account',
	requireCredential: true,
	params: listDeliveriesParams,
	errors: { noSuchWebhook: deliveryApiErrors.noSuchWebhookOnList },
	async handler(params, { me, store, delivery }) {
		const webhook = await store.findOwned(params.webhookId, me.user.id);
		if (!webhook) throw new ApiError(deliveryApiErrors.noSuchWebhookOnList);
		const rows = await delivery.deliveries.listByWebhook('user', webhook.id, { status: params.status, limit: params.limit, sinceId: params.sinceId, untilId: params.untilId });
		return rows.map(packWebhookDelivery);
	},
});
