import { defineModeratorEndpoint } from '../../../../endpoint.js';
import { moderatorsSystemDeliveryLog, seenWebhook } from '../../../../delivery-log.js';
import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { parseRecoverSince, RECOVER_MAX_DELIVERIES, RECOVER_RATE_LIMIT } from '../../../../params/recover-since.js';
import { recoverDeliveriesParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `admin/system-webhook/deliveries/recover` (ours): re-sends every failed delivery of a system webhook
 * since `since` (at most 14 days back, at most 10 000) in the background; replies at once with `{ count }`.
 */
export const recoverSystemWebhookDeliveriesEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/deliveries/recover',
	kind: 'write:admin:system-webhook',
	limit: RECOVER_RATE_LIMIT,
	params: recoverDeliveriesParams,
	errors: { noSuchSystemWebhook: systemDeliveryApiErrors.noSuchSystemWebhookOnRecover, sinceTooOld: systemDeliveryApiErrors.sinceTooOldOnRecover },
	async handler(params, ctx) {
		const since = parseRecoverSince(params.since, systemDeliveryApiErrors.sinceTooOldOnRecover);
		const webhook = await seenWebhook(moderatorsSystemDeliveryLog, ctx, params.webhookId, systemDeliveryApiErrors.noSuchSystemWebhookOnRecover);
		return { count: await ctx.systemDelivery.recoverFailed(webhook, since, RECOVER_MAX_DELIVERIES) };
	},
});
