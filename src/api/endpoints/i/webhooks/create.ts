import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { packUserWebhook } from '../../../packing/pack-user-webhook.js';
import { checkWebhookUrl } from '../../../params/webhook-url.js';
import { secretParam } from '../../../params/text-params.js';
import { openEventSetParam } from '../../../params/event-set-param.js';
import { createdOptionValues, webhookOptionParams } from '../../../params/webhook-option-params.js';
import { checkTemplateSettings } from '../../../params/template-param.js';

/** Misskey's base role policy `webhookLimit`, used when the host defines none. */
export const DEFAULT_WEBHOOK_LIMIT = 3;

/**
 * `i/webhooks/create`: refuses once the caller owns `webhookLimit` webhooks (`>=`), inserts, announces
 * `webhookCreated`. A moderator's pause remembered for the caller and this URL is applied to the new webhook, which then
 * starts paused. Ours: the delivery options, `retryPolicy` defaulting to `defaultRetryPolicy`, and a payload template,
 * refused with INVALID_PARAM saying where unless it renders for every event in `on` (template-param.ts).
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
			secret: { ...secretParam, default: '' },
			on: openEventSetParam(),
			...webhookOptionParams('user'),
		},
		required: ['name', 'url', 'on'],
	},
	errors: { tooManyWebhooks: webhookApiErrors.tooManyWebhooks, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, store, registry, host, options }) {
		const optionValues = createdOptionValues('user', params, options);
		const urlError = checkWebhookUrl(params.url, options.allowedNetworks, optionValues.format);
		if (urlError) throw urlError;
		checkTemplateSettings('user', { ...optionValues, on: params.on }, { serverUrl: options.serverUrl, hookId: 'new-webhook', userId: me.user.id });
		const limit = (await host.webhookLimit?.(me.user.id)) ?? DEFAULT_WEBHOOK_LIMIT;
		// Counted and inserted atomically: parallel creates cannot overshoot the limit (docs/limits-and-refusals.md).
		const outcome = await store.createWithinLimit({
			userId: me.user.id, name: params.name, url: params.url, secret: params.secret, on: params.on,
			...optionValues,
		}, limit);
		if (outcome.kind === 'limitReached') throw new ApiError(webhookApiErrors.tooManyWebhooks);
		await registry.announce('webhookCreated', outcome.row);
		return packUserWebhook(outcome.row);
	},
});
