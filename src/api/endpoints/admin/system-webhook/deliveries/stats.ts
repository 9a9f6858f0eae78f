import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { oneWebhookParams } from '../../../../params/delivery-endpoint-params.js';

/** `admin/system-webhook/deliveries/stats` (ours): a system webhook's attempt counts, as `i/webhooks/deliveries/stats`. */
export const systemWebhookDeliveryStatsEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/deliveries/stats',
	kind: 'read:admin:system-webhook',
	params: oneWebhookParams,
	errors: { noSuchSystemWebhook: systemDeliveryApiErrors.noSuchSystemWebhookOnStats },
	async handler(params, { systemStore, systemDelivery }) {
		const webhook = await systemStore.findById(params.webhookId);
		if (!webhook) throw new ApiError(systemDeliveryApiErrors.noSuchSystemWebhookOnStats);
		return systemDelivery.deliveries.stats('system', webhook.id);
	},
});
