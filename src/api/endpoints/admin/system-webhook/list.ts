import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import { defineModeratorEndpoint } from '../../../endpoint.js';
import { packSystemWebhooks } from '../../../packing/pack-system-webhook.js';

/**
 * `admin/system-webhook/list`: every system webhook by id, secrets included; `isActive` filters on the
 * flag, `on` keeps those subscribed to every given type. Misskey's kind is `write:…` although it only reads; kept.
 */
export const listSystemWebhooksEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/list',
	kind: 'write:admin:system-webhook',
	params: {
		type: 'object',
		properties: {
			isActive: { type: 'boolean' },
			on: { type: 'array', items: { type: 'string', enum: systemWebhookEventTypes } },
		},
	},
	errors: {},
	async handler(params, { systemStore }) {
		const rows = await systemStore.list({ isActive: params.isActive, on: params.on });
		return packSystemWebhooks(rows);
	},
});
