import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { moderatorDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDeliveryDetailForModerators } from '../../../../packing/pack-webhook-delivery.js';
import { oneDeliveryParams } from '../../../../params/delivery-endpoint-params.js';

/** `admin/webhooks/deliveries/show` (ours): one user webhook delivery with its body and attempts, for moderators. */
export const showUserWebhookDeliveryForModeratorsEndpoint = defineModeratorEndpoint({
	name: 'admin/webhooks/deliveries/show',
	kind: 'read:admin:webhooks',
	params: oneDeliveryParams,
	errors: { noSuchDelivery: moderatorDeliveryApiErrors.noSuchDeliveryOnShow },
	async handler(params, { delivery }) {
		const row = await delivery.deliveries.findById(params.deliveryId);
		if (!row || row.webhookKind !== 'user') throw new ApiError(moderatorDeliveryApiErrors.noSuchDeliveryOnShow);
		return packWebhookDeliveryDetailForModerators(row, await delivery.attempts.listByDelivery(row.id));
	},
});
