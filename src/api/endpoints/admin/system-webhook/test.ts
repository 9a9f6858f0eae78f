import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import { dummySystemWebhookBody } from '../../../../events/system-dummies.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors.js';
import { systemWebhookApiErrors } from '../../../system-webhook-errors.js';
import { checkWebhookUrl } from '../../../webhook-url.js';

const fifteenMinutesMs = 15 * 60 * 1000;

/**
 * `admin/system-webhook/test` (spec §11): sends Misskey's dummy payload for `type` to one system webhook, one attempt,
 * ignoring `isActive` and `on`, under the real webhook id (so its status columns are updated); `override` replaces URL
 * and secret for this send only. NO_SUCH_WEBHOOK carries the user test endpoint's id, as in Misskey.
 */
export const testSystemWebhookEndpoint = defineEndpoint({
	name: 'admin/system-webhook/test',
	kind: 'read:admin:system-webhook',
	requireCredential: true,
	requireModerator: true,
	secure: true,
	limit: { durationMs: fifteenMinutesMs, max: 60 },
	params: {
		type: 'object',
		properties: {
			webhookId: { type: 'string', format: 'misskey:id' },
			type: { type: 'string', enum: systemWebhookEventTypes },
			override: {
				type: 'object',
				properties: {
					url: { type: 'string' },
					secret: { type: 'string' },
				},
			},
		},
		required: ['webhookId', 'type'],
	},
	errors: { noSuchWebhook: systemWebhookApiErrors.noSuchWebhookOnTest, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { systemStore, systemDelivery, options }) {
		const webhook = await systemStore.findById(params.webhookId);
		if (!webhook) throw new ApiError(systemWebhookApiErrors.noSuchWebhookOnTest);
		const urlError = params.override?.url === undefined ? null : checkWebhookUrl(params.override.url, options.allowedNetworks);
		if (urlError) throw urlError;
		const body = dummySystemWebhookBody(params.type);
		await systemDelivery.enqueue([webhook], params.type, body, { attempts: 1, url: params.override?.url, secret: params.override?.secret });
		return undefined;
	},
});
