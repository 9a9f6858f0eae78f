import { recoverSinceParam } from './recover-since.js';
import { namingParams, paginationParams } from './id-params.js';

/** Params of both `deliveries/list` endpoints (user and system): a webhook, a status filter, Misskey's pagination. */
export const listDeliveriesParams = namingParams('webhookId', {
	status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
	...paginationParams,
});

/** Params of an endpoint that names one webhook: `i/webhooks/show` and `delete`, the `deliveries/stats` endpoints. */
export const oneWebhookParams = namingParams('webhookId');

/** Params of the `deliveries/show` and `deliveries/redeliver` endpoints of both kinds: one delivery. */
export const oneDeliveryParams = namingParams('deliveryId');

/** Params of both `deliveries/recover` endpoints: a webhook and how far back to re-send its failed deliveries. */
export const recoverDeliveriesParams = namingParams('webhookId', { since: recoverSinceParam }, ['since']);
