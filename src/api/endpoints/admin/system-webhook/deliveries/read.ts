import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { defineDeliveryLogEndpoints, moderatorsSystemDeliveryLog } from '../../../../delivery-log.js';

/**
 * `admin/system-webhook/deliveries/list`, `show` and `stats` (ours): a system webhook's log for moderators, as
 * `i/webhooks/deliveries/*` (filters and pagination the same; never the secret).
 */
export const systemDeliveryLogEndpoints = defineDeliveryLogEndpoints({
	path: 'admin/system-webhook/deliveries',
	kind: 'read:admin:system-webhook',
	moderators: true,
	audience: moderatorsSystemDeliveryLog,
	noSuchWebhookName: 'noSuchSystemWebhook',
	errors: systemDeliveryApiErrors,
});
