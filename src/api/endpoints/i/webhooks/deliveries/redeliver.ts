import { defineEndpoint } from '../../../../endpoint.js';
import { ownersDeliveryLog, seenDelivery, seenWebhook } from '../../../../delivery-log.js';
import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { REDELIVER_RATE_LIMIT } from '../../../../params/recover-since.js';
import { refuseSendWhilePausedByModerator, webhookPauseApiErrors } from '../../../../errors/webhook-pause-errors.js';
import { oneDeliveryParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `i/webhooks/deliveries/redeliver` (ours): one more attempt of one of the caller's deliveries, now,
 * with the same event id (`webhook-id`) and body, to the webhook's URL and secret as they are now; recorded with
 * trigger `manual`. It does not reopen the retry schedule: if it fails, nothing follows. Replies 204 once queued.
 * Refused with WEBHOOK_PAUSED_BY_MODERATOR while a moderator's pause stands.
 */
export const redeliverWebhookDeliveryEndpoint = defineEndpoint({
	name: 'i/webhooks/deliveries/redeliver',
	kind: 'write:account',
	requireCredential: true,
	limit: REDELIVER_RATE_LIMIT,
	params: oneDeliveryParams,
	errors: { noSuchDelivery: deliveryApiErrors.noSuchDeliveryOnRedeliver, noSuchWebhook: deliveryApiErrors.noSuchWebhookOnRedeliver, pausedByModerator: webhookPauseApiErrors.pausedByModeratorOnSend },
	async handler(params, ctx) {
		const row = await seenDelivery(ownersDeliveryLog, ctx, params.deliveryId, deliveryApiErrors.noSuchDeliveryOnRedeliver);
		const webhook = await seenWebhook(ownersDeliveryLog, ctx, row.webhookId, deliveryApiErrors.noSuchWebhookOnRedeliver);
		refuseSendWhilePausedByModerator(webhook);
		await ctx.delivery.redeliver(row, webhook);
		return undefined;
	},
});
