import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDelivery } from '../../../../packing/pack-webhook-delivery.js';
import { listDeliveriesParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `admin/system-webhook/deliveries/list` (ours): a system webhook's deliveries for moderators, newest
 * first, as `WebhookDelivery` (never the secret); filters and pagination as `i/webhooks/deliveries/list`.
 */
export const listSystemWebhookDeliveriesEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/deliveries/list',
	kind: 'read:admin:system-webhook',
	params: listDeliveriesParams,
	errors: { noSuchSystemWebhook: systemDeliveryApiErrors.noSuchSystemWebhookOnList },
	async handler(params, { systemStore, systemDelivery }) {
		const webhook = await systemStore.findById(params.webhookId);
		if (!webhook) throw new ApiError(systemDeliveryApiErrors.noSuchSystemWebhookOnList);
		const rows = await systemDelivery.deliveries.listByWebhook('system', webhook.id, { status: params.status, limit: params.limit, sinceId: params.sinceId, untilId: params.untilId });
		return rows.map(packWebhookDelivery);
	},
});
