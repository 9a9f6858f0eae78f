import { deliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { defineDeliveryLogEndpoints, ownersDeliveryLog } from '../../../../delivery-log.js';

/**
 * `i/webhooks/deliveries/list`, `show` and `stats` (ours): the log of one of the caller's webhooks; another user's
 * webhook or delivery looks missing. `list`: its deliveries, newest first, as `WebhookDelivery` (never the secret or
 * the body); `status` filters, `sinceId` / `untilId` select as Misskey's pagination does. `show`: one delivery with
 * its event body and every attempt, first to last (`WebhookDeliveryDetail`). `stats`: its attempts, counted as
 * delivered (2xx), retried (failed, a retry scheduled) and failed (failed, none after it), per hour over the last 24
 * hours and per day over the last 14 days, oldest first.
 */
export const ownersDeliveryLogEndpoints = defineDeliveryLogEndpoints({
	path: 'i/webhooks/deliveries',
	kind: 'read:account',
	moderators: false,
	audience: ownersDeliveryLog,
	noSuchWebhookName: 'noSuchWebhook',
	errors: deliveryApiErrors,
});
