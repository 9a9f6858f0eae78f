import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors/api-errors.js';
import { oneWebhookParams } from '../../../params/delivery-endpoint-params.js';

/** `i/webhooks/delete`: deletes one of the caller's webhooks and announces the row as it was; replies 204. */
export const deleteWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/delete',
	kind: 'write:account',
	requireCredential: true,
	params: oneWebhookParams,
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnDelete },
	async handler(params, { me, store, registry }) {
		const deleted = await store.delete(params.webhookId, me.user.id);
		if (!deleted) throw new ApiError(webhookApiErrors.noSuchWebhookOnDelete);
		await registry.announce('webhookDeleted', deleted);
		return undefined;
	},
});
