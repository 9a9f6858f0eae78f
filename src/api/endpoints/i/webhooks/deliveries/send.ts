import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { ownersDeliveryLog } from '../../../../delivery-log.js';
import { defineDeliverySendEndpoints } from '../../../../delivery-sends.js';
import { refuseSendWhilePausedByModerator, webhookPauseApiErrors } from '../../../../errors/webhook-pause-errors.js';

/**
 * `i/webhooks/deliveries/redeliver` and `recover` (ours): manual sends of one of the caller's webhooks' deliveries
 * (delivery-sends.ts); another user's webhook or delivery looks missing. Refused with WEBHOOK_PAUSED_BY_MODERATOR while
 * a moderator's pause stands.
 */
export const ownersDeliverySendEndpoints = defineDeliverySendEndpoints({
	path: 'i/webhooks/deliveries',
	kind: 'write:account',
	moderators: false,
	audience: ownersDeliveryLog,
	noSuchWebhookName: 'noSuchWebhook',
	errors: deliveryApiErrors,
	refusal: { refuse: refuseSendWhilePausedByModerator, errors: { pausedByModerator: webhookPauseApiErrors.pausedByModeratorOnSend } },
});
