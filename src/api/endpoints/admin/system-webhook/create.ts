import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import { defineModeratorEndpoint } from '../../../endpoint.js';
import { webhookApiErrors } from '../../../errors/api-errors.js';
import { packSystemWebhook, redactSystemWebhook } from '../../../packing/pack-system-webhook.js';
import { checkWebhookUrl } from '../../../params/webhook-url.js';
import { secretParam } from '../../../params/text-params.js';
import { eventSetParam } from '../../../params/event-set-param.js';
import { createdOptionValues, webhookOptionParams } from '../../../params/webhook-option-params.js';
import { checkTemplateSettings } from '../../../params/template-param.js';

/**
 * `admin/system-webhook/create`: moderators only, native tokens only; inserts, announces
 * `systemWebhookCreated`, logs `createSystemWebhook` `{ systemWebhookId, webhook }` with the secret replaced by
 * `hasSecret` (Misskey logs it in clear), and answers the packed SystemWebhook. Ours: the delivery options,
 * `retryPolicy` defaulting to `defaultRetryPolicy`, and a payload template checked as `i/webhooks/create` checks one.
 */
export const createSystemWebhookEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/create',
	kind: 'write:admin:system-webhook',
	params: {
		type: 'object',
		properties: {
			isActive: { type: 'boolean' },
			name: { type: 'string', minLength: 1, maxLength: 255 },
			on: eventSetParam(systemWebhookEventTypes),
			url: { type: 'string', minLength: 1, maxLength: 1024 },
			secret: { ...secretParam, default: '' },
			...webhookOptionParams('system'),
		},
		required: ['isActive', 'name', 'on', 'url'],
	},
	errors: { invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, systemStore, registry, host, options }) {
		const optionValues = createdOptionValues('system', params, options);
		const urlError = checkWebhookUrl(params.url, options.allowedNetworks, optionValues.format);
		if (urlError) throw urlError;
		checkTemplateSettings('system', { ...optionValues, on: params.on }, { serverUrl: options.serverUrl, hookId: 'new-webhook' });
		const row = await systemStore.create({
			isActive: params.isActive, name: params.name, on: params.on, url: params.url, secret: params.secret,
			...optionValues,
		});
		await registry.announceSystem('systemWebhookCreated', row);
		await host.logModeratorAction?.(me.user.id, 'createSystemWebhook', { systemWebhookId: row.id, webhook: redactSystemWebhook(row) });
		return packSystemWebhook(row);
	},
});
