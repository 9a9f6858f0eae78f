import { systemDeliveryApiErrors } from '../../../../errors/delivery-errors.js';
import { moderatorsSystemDeliveryLog } from '../../../../delivery-log.js';
import { defineDeliverySendEndpoints } from '../../../../delivery-sends.js';

/** `admin/system-webhook/deliveries/redeliver` and `recover` (ours): manual sends of a system webhook's deliveries (delivery-sends.ts). */
export const systemDeliverySendEndpoints = defineDeliverySendEndpoints({
	path: 'admin/system-webhook/deliveries',
	kind: 'write:admin:system-webhook',
	moderators: true,
	audience: moderatorsSystemDeliveryLog,
	noSuchWebhookName: 'noSuchSystemWebhook',
	errors: systemDeliveryApiErrors,
});
