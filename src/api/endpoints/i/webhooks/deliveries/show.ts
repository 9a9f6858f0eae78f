import { defineEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { packWebhookDeliveryDetail } from '../../../../packing/pack-webhook-delivery.js';
import { oneDeliveryParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `i/webhooks/deliveries/show` (ours): one delivery of the caller's webhooks with its event body and
 * every attempt, first to last (`WebhookDeliveryDetail`). A delivery of another user's webhook looks missing.
 */
export const showWebhookDeliveryEndpoint = defineEndpoint({
	name: 'i/webhooks/deliveries/show',
	kind: 'read:account',
	requireCredential: true,
	params: oneDeliveryParams,
	errors: { noSuchDelivery: deliveryApiErrors.noSuchDeliveryOnShow },
	async handler(params, { me, delivery }) {
		const row = await delivery.deliveries.findById(params.deliveryId);
		if (!row || row.webhookKind !== 'user' || row.userId !== me.user.id) throw new ApiError(deliveryApiErrors.noSuchDeliveryOnShow);
		return packWebhookDeliveryDetail(row, await delivery.attempts.listByDelivery(row.id));
	},
});
