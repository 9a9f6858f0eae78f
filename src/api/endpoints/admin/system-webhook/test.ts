import { systemWebhookEventTypes } from '../../../../events/catalogue.js';
import { dummySystemWebhookBody } from '../../../packing/system-dummies.js';
import { defineModeratorEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { systemWebhookApiErrors } from '../../../errors/system-webhook-errors.js';
import { testEndpointLimit, testEndpointParams, testSendOverrides } from '../../../test-delivery.js';

/**
 * `admin/system-webhook/test`: sends Misskey's dummy payload for `type` to one system webhook, one attempt,
 * ignoring `isActive` and `on`, under the real webhook id (so its status columns are updated); `override` replaces URL
 * and secret for this send only. NO_SUCH_WEBHOOK carries the user test endpoint's id, as in Misskey.
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
		const overrides = testSendOverrides(params.override, options.allowedNetworks);
		await systemDelivery.enqueue([webhook], params.type, dummySystemWebhookBody(params.type), overrides);
		return undefined;
	},
});
