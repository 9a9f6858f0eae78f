import { defineEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors/api-errors.js';
import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { oneWebhookParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `i/webhooks/deliveries/stats` (ours): one of the caller's webhooks' attempts, counted as delivered (2xx), retried
 * (failed, a retry scheduled) and failed (failed, none after it), per hour over the last 24 hours and per day over the
 * last 14 days, oldest first. Another user's webhook looks missing.
 */
export const webhookDeliveryStatsEndpoint = defineEndpoint({
	name: 'i/webhooks/deliveries/stats',
	kind: 'read:account',
	requireCredential: true,
	params: oneWebhookParams,
	errors: { noSuchWebhook: deliveryApiErrors.noSuchWebhookOnStats },
	async handler(params, { me, store, delivery }) {
		const webhook = await store.findOwned(params.webhookId, me.user.id);
		if (!webhook) throw new ApiError(deliveryApiErrors.noSuchWebhookOnStats);
		return delivery.deliveries.stats('user', webhook.id);
	},
});
