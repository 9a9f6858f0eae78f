import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import { dummySystemWebhookBody } from '../../../packing/system-dummies.js';
import { defineModeratorEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { systemWebhookApiErrors } from '../../../errors/system-webhook-errors.js';
import { testEndpointLimit, testEndpointParams, testSendAnswer, testSendOverrides } from '../../../test-delivery.js';
import { testSendPreview, testTarget } from '../../../template-preview.js';

/**
 * `admin/system-webhook/test`: sends Misskey's dummy payload for `type` to one system webhook, one attempt,
 * ignoring `isActive` and `on`, under the real webhook id (so its status columns are updated); `override` replaces URL
 * and secret for this send only. NO_SUCH_WEBHOOK carries the user test endpoint's id, as in Misskey. Ours: with a
 * payload template (or `override.template`), it answers the body it sends and its content type, as `i/webhooks/test`.
 * With a content filter, whether the dummy passes it (`passesFilter`).
 */
export const testSystemWebhookEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/test',
	kind: 'read:admin:system-webhook',
	limit: testEndpointLimit,
	params: testEndpointParams(systemWebhookEventTypes),
	errors: { noSuchWebhook: systemWebhookApiErrors.noSuchWebhookOnTest, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { systemStore, systemDelivery, options }) {
		const webhook = await systemStore.findById(params.webhookId);
		if (!webhook) throw new ApiError(systemWebhookApiErrors.noSuchWebhookOnTest);
		const overrides = testSendOverrides(params.override, options.allowedNetworks, webhook.format);
		const target = testTarget('system', webhook, params.type, params.override, { serverUrl: options.serverUrl });
		const body = dummySystemWebhookBody(params.type);
		return testSendAnswer(webhook.filter, body, testSendPreview(await systemDelivery.enqueueTest(target, params.type, body, overrides), options.serverUrl));
	},
});
