import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { moderatorDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { oneWebhookParams } from '../../../../params/delivery-endpoint-params.js';

/** `admin/webhooks/deliveries/stats` (ours): any user webhook's attempt counts, as `i/webhooks/deliveries/stats`. */
export const userWebhookDeliveryStatsForModeratorsEndpoint = defineModeratorEndpoint({
	name: 'admin/webhooks/deliveries/stats',
	kind: 'read:admin:webhooks',
	params: oneWebhookParams,
	errors: { noSuchWebhook: moderatorDeliveryApiErrors.noSuchWebhookOnStats },
	async handler(params, { store, delivery }) {
		const webhook = await store.findById(params.webhookId);
		if (!webhook) throw new ApiError(moderatorDeliveryApiErrors.noSuchWebhookOnStats);
		return delivery.deliveries.stats('user', webhook.id);
	},
});
