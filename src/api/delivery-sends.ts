import type { ApiErrorDefinition } from './errors/api-errors.js';
import { defineDeliveryEndpoint, seenDelivery, seenWebhook, type DeliveryEndpointsSpec } from './delivery-log.js';
import { oneDeliveryParams, recoverDeliveriesParams } from './params/delivery-endpoint-params.js';
import { parseRecoverSince, RECOVER_MAX_DELIVERIES, RECOVER_RATE_LIMIT, REDELIVER_RATE_LIMIT } from './params/recover-since.js';

/** How one audience's `deliveries/redeliver` and `recover` (ours) are declared: where, who may call them, which errors. */
export interface DeliverySendEndpointsSpec<Webhook extends { id: string }> extends DeliveryEndpointsSpec<Webhook> {
	errors: {
		noSuchDeliveryOnRedeliver: ApiErrorDefinition;
		noSuchWebhookOnRedeliver: ApiErrorDefinition;
		noSuchWebhookOnRecover: ApiErrorDefinition;
		sinceTooOldOnRecover: ApiErrorDefinition;
	};
	/** What refuses a send the caller asks for (a moderator's pause of an owner's webhook), and the errors it answers, by name. */
	refusal?: { refuse(webhook: NoInfer<Webhook>): void; errors: Readonly<Record<string, ApiErrorDefinition>> };
}

/**
 * One audience's manual sends, both to the webhook as it is now and recorded with trigger `manual`:
 * - `redeliver`: one more attempt of one delivery, with the same event id (`webhook-id`) and body. It does not reopen
 *   the retry schedule: if it fails, nothing follows. Replies 204 once queued.
 * - `recover` (Svix's recover): every failed delivery of a webhook created since `since` (epoch ms or ISO date-time, at
 *   most 14 days back), oldest first, at most 10 000, each as one such attempt. Replies at once with `{ count }`; the
 *   sending runs in the background.
 */
export function defineDeliverySendEndpoints<Webhook extends { id: string }>(spec: DeliverySendEndpointsSpec<Webhook>) {
	const { audience, errors, refusal } = spec;
	return {
		redeliver: defineDeliveryEndpoint(spec, {
			name: `${spec.path}/redeliver`,
			limit: REDELIVER_RATE_LIMIT,
			params: oneDeliveryParams,
			errors: { noSuchDelivery: errors.noSuchDeliveryOnRedeliver, [spec.noSuchWebhookName]: errors.noSuchWebhookOnRedeliver, ...refusal?.errors },
			async handler(params, ctx) {
				const row = await seenDelivery(audience, ctx, params.deliveryId, errors.noSuchDeliveryOnRedeliver);
				const webhook = await seenWebhook(audience, ctx, row.webhookId, errors.noSuchWebhookOnRedeliver);
				refusal?.refuse(webhook);
				await audience.log(ctx).redeliver(row, webhook);
				return undefined;
			},
		}),
		recover: defineDeliveryEndpoint(spec, {
			name: `${spec.path}/recover`,
			limit: RECOVER_RATE_LIMIT,
			params: recoverDeliveriesParams,
			errors: { [spec.noSuchWebhookName]: errors.noSuchWebhookOnRecover, sinceTooOld: errors.sinceTooOldOnRecover, ...refusal?.errors },
			async handler(params, ctx) {
				const since = parseRecoverSince(params.since, errors.sinceTooOldOnRecover);
				const webhook = await seenWebhook(audience, ctx, params.webhookId, errors.noSuchWebhookOnRecover);
				refusal?.refuse(webhook);
				return { count: await audience.log(ctx).recoverFailed(webhook, since, RECOVER_MAX_DELIVERIES) };
			},
		}),
	};
}
