import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { packUserWebhookFor } from '../../../packing/pack-user-webhook.js';
import { oneWebhookParams } from '../../../params/delivery-endpoint-params.js';

/** `i/webhooks/show`: one of the caller's webhooks (the secret withheld from an app token); another user's looks missing. */
export const showWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/show',
	kind: 'read:account',
	requireCredential: true,
	params: oneWebhookParams,
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnShow },
	async handler(params, { me, store }) {
		const row = await store.findOwned(params.webhookId, me.user.id);
		if (!row) throw new ApiError(webhookApiErrors.noSuchWebhookOnShow);
		return packUserWebhookFor(me, row);
	},
});
