import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { REDELIVER_RATE_LIMIT } from '../../../../params/recover-since.js';
import { oneDeliveryParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `admin/system-webhook/deliveries/redeliver` (ours): one manual attempt of a system webhook delivery,
 * same event id and body, to the webhook as it is now; the retry schedule is not reopened. Replies 204 once queued.
 */
export const redeliverSystemWebhookDeliveryEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/deliveries/redeliver',
	kind: 'write:admin:system-webhook',
	limit: REDELIVER_RATE_LIMIT,
	params: oneDeliveryParams,
	errors: { noSuchDelivery: systemDeliveryApiErrors.noSuchDeliveryOnRedeliver, noSuchSystemWebhook: systemDeliveryApiErrors.noSuchSystemWebhookOnRedeliver },
	async handler(params, { systemStore, systemDelivery }) {
		const row = await systemDelivery.deliveries.findById(params.deliveryId);
		if (!row || row.webhookKind !== 'system') throw new ApiError(systemDeliveryApiErrors.noSuchDeliveryOnRedeliver);
		const webhook = await systemStore.findById(row.webhookId);
		if (!webhook) throw new ApiError(systemDeliveryApiErrors.noSuchSystemWebhookOnRedeliver);
		await systemDelivery.redeliver(row, webhook);
		return undefined;
	},
});
