import { defineEndpoint } from '../../../../endpoint.js';
import { ownersDeliveryLog, seenWebhook } from '../../../../delivery-log.js';
import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { parseRecoverSince, RECOVER_MAX_DELIVERIES, RECOVER_RATE_LIMIT } from '../../../../params/recover-since.js';
import { refuseSendWhilePausedByModerator, webhookPauseApiErrors } from '../../../../errors/webhook-pause-errors.js';
import { recoverDeliveriesParams } from '../../../../params/delivery-endpoint-params.js';

/**
 * `i/webhooks/deliveries/recover` (ours; Svix's recover): re-sends every failed delivery of one of the
 * caller's webhooks created since `since` (epoch ms or ISO date-time, at most 14 days back), oldest first, at most
 * 10 000, each as one manual attempt to the webhook as it is now. Replies at once with `{ count }`; the sending runs in
 * the background. Refused with WEBHOOK_PAUSED_BY_MODERATOR while a moderator's pause stands.
 */
export const recoverWebhookDeliveriesEndpoint = defineEndpoint({
	name: 'i/webhooks/deliveries/recover',
	kind: 'write:account',
	requireCredential: true,
	limit: RECOVER_RATE_LIMIT,
	params: recoverDeliveriesParams,
	errors: { noSuchWebhook: deliveryApiErrors.noSuchWebhookOnRecover, sinceTooOld: deliveryApiErrors.sinceTooOldOnRecover, pausedByModerator: webhookPauseApiErrors.pausedByModeratorOnSend },
	async handler(params, ctx) {
		const since = parseRecoverSince(params.since, deliveryApiErrors.sinceTooOldOnRecover);
		const webhook = await seenWebhook(ownersDeliveryLog, ctx, params.webhookId, deliveryApiErrors.noSuchWebhookOnRecover);
		refuseSendWhilePausedByModerator(webhook);
		return { count: await ctx.delivery.recoverFailed(webhook, since, RECOVER_MAX_DELIVERIES) };
	},
});
