import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDeliveryDetail } from '../../../../packing/pack-webhook-delivery.js';
import { oneDeliveryParams } from '../../../../params/delivery-endpoint-params.js';

/** `admin/system-webhook/deliveries/show` (ours): one system webhook delivery with its body and attempts. */
export const showSystemWebhookDeliveryEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/deliveries/show',
	kind: 'read:admin:system-webhook',
	params: oneDeliveryParams,
	errors: { noSuchDelivery: systemDeliveryApiErrors.noSuchDeliveryOnShow },
	async handler(params, { systemDelivery }) {
		const row = await systemDelivery.deliveries.findById(params.deliveryId);
		if (!row || row.webhookKind !== 'system') throw new ApiError(systemDeliveryApiErrors.noSuchDeliveryOnShow);
		return packWebhookDeliveryDetail(row, await systemDelivery.attempts.listByDelivery(row.id));
	},
});
