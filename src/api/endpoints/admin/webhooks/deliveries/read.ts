import { moderatorDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { defineDeliveryLogEndpoints, moderatorsUserDeliveryLog } from '../../../../delivery-log.js';

/**
 * `admin/webhooks/deliveries/list`, `show` and `stats` (ours): any user webhook's log for moderators, as the owner sees
 * it in `i/webhooks/deliveries/*` (filters and pagination the same), its URL redacted.
 */
export const moderatorsUserDeliveryLogEndpoints = defineDeliveryLogEndpoints({
	path: 'admin/webhooks/deliveries',
	kind: 'read:admin:webhooks',
	moderators: true,
	audience: moderatorsUserDeliveryLog,
	noSuchWebhookName: 'noSuchWebhook',
	errors: moderatorDeliveryApiErrors,
});
