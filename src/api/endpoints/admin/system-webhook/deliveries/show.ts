import { defineEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors.js';
import { systemDeliveryApiErrors } from '../../../../delivery-errors.js';
import { packWebhookDeliveryDetail } from '../../../../pack-webhook-delivery.js';
import { oneDeliveryParams } from '../../../../delivery-endpoint-params.js';

/** `admin/system-webhook/deliveries/show` (ours): one system webhook delivery with its body and attempts. */
export const showSystemWebhookDeliveryEndpoint = defineEndpoint({
	name: 'admin/system-webhook/deliveries/show',
	kind: 'read:admin:system-webhook',
	requireCredential: true,
	requireModerator: true,
	secure: true,
	params: oneDeliveryParams,
	errors: { noSuchDelivery: systemDeliveryApiErrors.noSuchDeliveryOnShow },
	async handler(params, { systemDelivery }) {
		const row = await systemDelivery.deliveries.findById(params.deliveryId);
		if (!row || row.webhookKind !== 'system') throw new ApiError(systemDeliveryApiErrors.noSuchDeliveryOnShow);
		return packWebhookDeliveryDetail(row, await systemDelivery.attempts.listByDelivery(row.id));
	},
});
