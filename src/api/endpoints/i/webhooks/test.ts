import { userWebhookEventTypes } from '../../../../events/catalogue.js';
import { dummyUserWebhookBody } from '../../../../events/dummies.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors.js';
import { checkWebhookUrl } from '../../../webhook-url.js';

const fifteenMinutesMs = 15 * 60 * 1000;

/**
 * `i/webhooks/test` (spec §11): sends Misskey's dummy payload for `type` to one of the caller's webhooks, one attempt,
 * ignoring `active` and `on`, under the real webhook id; `override` replaces URL and secret for this send only.
 * `reaction` has no dummy: nothing is sent, and it still replies 204.
 */
export const testWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/test',
	kind: 'read:account',
	requireCredential: true,
	secure: true,
	limit: { durationMs: fifteenMinutesMs, max: 60 },
	params: {
		type: 'object',
		properties: {
			webhookId: { type: 'string', format: 'misskey:id' },
			type: { type: 'string', enum: userWebhookEventTypes },
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
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnTest, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, store, delivery, options }) {
		const webhook = await store.findOwned(params.webhookId, me.user.id);
		if (!webhook) throw new ApiError(webhookApiErrors.noSuchWebhookOnTest);
		const urlError = params.override?.url === undefined ? null : checkWebhookUrl(params.override.url, options.allowedNetworks);
		if (urlError) throw urlError;
		const body = dummyUserWebhookBody(params.type);
		if (body === null) return undefined;
		await delivery.enqueue([webhook], params.type, body, { attempts: 1, url: params.override?.url, secret: params.override?.secret });
		return undefined;
	},
});
