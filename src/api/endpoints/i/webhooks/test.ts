import { userWebhookEventTypes } from '../../../../events/catalogue.js';
import { dummyUserWebhookBody } from '../../../packing/dummies.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { refuseSendWhilePausedByModerator, webhookPauseApiErrors } from '../../../errors/webhook-pause-errors.js';
import { testEndpointLimit, testEndpointParams, testSendAnswer, testSendOverrides } from '../../../test-delivery.js';
import { testSendPreview, testTarget } from '../../../template-preview.js';

/**
 * `i/webhooks/test`: sends Misskey's dummy payload for `type` to one of the caller's webhooks, one attempt,
 * ignoring `active` and `on`, under the real webhook id; `override` replaces URL and secret for this send only.
 * `reaction` has no dummy: nothing is sent, and it still replies 204. A webhook a moderator paused gets
 * WEBHOOK_PAUSED_BY_MODERATOR, whatever the override. Ours: a webhook with a payload template (or an `override.template`
 * to try before saving) answers the body it sends and its content type; a template that would not render is refused
 * with INVALID_PARAM saying where, and nothing is sent. Ours: a webhook with a content filter
 * answers whether the dummy passes it (`passesFilter`); a webhook with neither answers Misskey's 204.
 */
export const testWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/test',
	kind: 'read:account',
	requireCredential: true,
	secure: true,
	limit: testEndpointLimit,
	params: testEndpointParams(userWebhookEventTypes),
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnTest, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl, pausedByModerator: webhookPauseApiErrors.pausedByModeratorOnSend },
	async handler(params, { me, store, delivery, options }) {
		const webhook = await store.findOwned(params.webhookId, me.user.id);
		if (!webhook) throw new ApiError(webhookApiErrors.noSuchWebhookOnTest);
		refuseSendWhilePausedByModerator(webhook);
		const overrides = testSendOverrides(params.override, options.allowedNetworks, webhook.format);
		const target = testTarget('user', webhook, params.type, params.override, { serverUrl: options.serverUrl, userId: webhook.userId });
		const body = dummyUserWebhookBody(params.type);
		if (body === null) return undefined;
		return testSendAnswer(webhook.filter, body, testSendPreview(await delivery.enqueueTest(target, params.type, body, overrides), options.serverUrl));
	},
});
