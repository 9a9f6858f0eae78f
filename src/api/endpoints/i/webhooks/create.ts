import { userWebhookEventTypes } from '../../../../events/catalogue.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors.js';
import { packUserWebhook } from '../../../pack-user-webhook.js';
import { checkWebhookUrl } from '../../../webhook-url.js';
import { deliveryOptionParams, noteFilterParams } from '../../../delivery-option-params.js';

/** Misskey's base role policy `webhookLimit`, used when the host defines none (spec §4). */
export const DEFAULT_WEBHOOK_LIMIT = 3;

/**
 * `i/webhooks/create` (spec §4): refuses once the caller owns `webhookLimit` webhooks (`>=`), inserts, announces
 * `webhookCreated`. Ours (issue 4): the delivery options, `retryPolicy` defaulting to `defaultRetryPolicy`.
 */
export const createWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/create',
	kind: 'write:account',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			name: { type: 'string', minLength: 1, maxLength: 100 },
			url: { type: 'string', minLength: 1, maxLength: 1024 },
			secret: { type: 'string', maxLength: 1024, default: '' },
			on: { type: 'array', items: { type: 'string', enum: userWebhookEventTypes } },
			...deliveryOptionParams,
			...noteFilterParams,
		},
		required: ['name', 'url', 'on'],
	},
	errors: { tooManyWebhooks: webhookApiErrors.tooManyWebhooks, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, store, registry, host, options }) {
		const urlError = checkWebhookUrl(params.url, options.allowedNetworks);
		if (urlError) throw urlError;
		const limit = (await host.webhookLimit?.(me.user.id)) ?? DEFAULT_WEBHOOK_LIMIT;
		if (await store.countByUser(me.user.id) >= limit) throw new ApiError(webhookApiErrors.tooManyWebhooks);
		const row = await store.create({
			userId: me.user.id, name: params.name, url: params.url, secret: params.secret, on: params.on,
			retryPolicy: params.retryPolicy ?? options.defaultRetryPolicy,
			sendSecretHeader: params.sendSecretHeader ?? true,
			format: params.format ?? 'misskey',
			excludeSpecifiedNotes: params.excludeSpecifiedNotes ?? false,
			excludeFollowersNotes: params.excludeFollowersNotes ?? false,
		});
		await registry.announce('webhookCreated', row);
		return packUserWebhook(row);
	},
});
