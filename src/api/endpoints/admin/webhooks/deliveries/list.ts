import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { moderatorDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDeliveryForModerators } from '../../../../packing/pack-webhook-delivery.js';
import { listDeliveriesParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `admin/webhooks/deliveries/list` (ours): any user webhook's deliveries for moderators, newest first, as the owner
 * sees them in `i/webhooks/deliveries/list`; filters and pagination the same.
 */
export const listUserWebhookDeliveriesForModeratorsEndpoint = defineModeratorEndpoint({
	name: 'admin/webhooks/deliveries/list',
	kind: 'read:admin:webhooks',
	params: listDeliveriesParams,
	errors: { noSuchWebhook: moderatorDeliveryApiErrors.noSuchWebhookOnList },
	async handler(params, { store, delivery }) {
		const webhook = await store.findById(params.webhookId);
		if (!webhook) throw new ApiError(moderatorDeliveryApiErrors.noSuchWebhookOnList);
		const rows = await delivery.deliveries.listByWebhook('user', webhook.id, { status: params.status, limit: params.limit, sinceId: params.sinceId, untilId: params.untilId });
		return rows.map(packWebhookDeliveryForModerators);
	},
});
