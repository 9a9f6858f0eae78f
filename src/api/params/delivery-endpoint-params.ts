import { recoverSinceParam } from './recover-since.js';

/** Params of both `deliveries/list` endpoints (user and system): a webhook, a status filter, Misskey's pagination. */
export const listDeliveriesParams = {
	type: 'object',
	properties: {
		webhookId: { type: 'string', format: 'misskey:id' },
		status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
		limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
		sinceId: { type: 'string', format: 'misskey:id' },
		untilId: { type: 'string', format: 'misskey:id' },
	},
	required: ['webhookId'],
} as const;

/** Params of an endpoint that names one webhook: `i/webhooks/show` and `delete`, the `deliveries/stats` endpoints. */
export const oneWebhookParams = {
	type: 'object',
	properties: {
		webhookId: { type: 'string', format: 'misskey:id' },
	},
	required: ['webhookId'],
} as const;

/** Params of the `deliveries/show` and `deliveries/redeliver` endpoints of both kinds: one delivery. */
export const oneDeliveryParams = {
	type: 'object',
	properties: {
		deliveryId: { type: 'string', format: 'misskey:id' },
	},
	required: ['deliveryId'],
} as const;

/** Params of both `deliveries/recover` endpoints: a webhook and how far back to re-send its failed deliveries. */
export const recoverDeliveriesParams = {
	type: 'object',
	properties: {
		webhookId: { type: 'string', format: 'misskey:id' },
		since: recoverSinceParam,
	},
	required: ['webhookId', 'since'],
} as const;
