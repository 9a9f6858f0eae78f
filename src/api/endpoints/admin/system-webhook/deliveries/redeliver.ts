import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { moderatorsSystemDeliveryLog, seenDelivery, seenWebhook } from '../../../../delivery-log.js';
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
	async handler(params, ctx) {
		const row = await seenDelivery(moderatorsSystemDeliveryLog, ctx, params.deliveryId, systemDeliveryApiErrors.noSuchDeliveryOnRedeliver);
		const webhook = await seenWebhook(moderatorsSystemDeliveryLog, ctx, row.webhookId, systemDeliveryApiErrors.noSuchSystemWebhookOnRedeliver);
		await ctx.systemDelivery.redeliver(row, webhook);
		return undefined;
	},
});
