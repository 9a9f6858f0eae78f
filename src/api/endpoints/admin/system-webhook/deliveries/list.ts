import { defineEndpoint } from '../../../../endpoint.js';
import { ApiError } from '../../../../errors.js';
import { systemDeliveryApiErrors } from '../../../../delivery-errors.js';
import { packWebhookDelivery } from '../../../../pack-webhook-delivery.js';

/**
 * `admin/system-webhook/deliveries/list` (ours, issue 4 point 4): a system webhook's deliveries for moderators, newest
 * first, as `WebhookDelivery` (never the secret); filters and pagination as `i/webhooks/deliveries/list`.
 */
export const listSystemWebhookDeliveriesEndpoint = defineEndpoint({
	name: 'admin/system-webhook/deliveries/list',
	kind: 'read:admin:system-webhook',
	requireCredential: true,
	requireModerator: true,
	secure: true,
	params: {
		type: 'object',
		properties: {
			webhookId: { type: 'string', format: 'misskey:id' },
			status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
			limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
			sinceId: { type: 'string', format: 'misskey:id' },
			untilId: { type: 'string', format: 'misskey:id' },
		},
		required: ['webhookId'],
	},
	errors: { noSuchSystemWebhook: systemDeliveryApiErrors.noSuchSystemWebhookOnList },
	async handler(params, { systemStore, systemDelivery }) {
		const webhook = await systemStore.findById(params.webhookId);
		if (!webhook) throw new ApiError(systemDeliveryApiErrors.noSuchSystemWebhookOnList);
		const rows = await systemDelivery.deliveries.listByWebhook('system', webhook.id, { status: params.status, limit: params.limit, sinceId: params.sinceId, untilId: params.untilId });
		return rows.map(packWebhookDelivery);
	},
});
