import { webhookApiErrors } from '../../../errors/api-errors.js';
import { defineOwnWebhookEndpoint } from '../../../own-webhook-endpoint.js';

/** `i/webhooks/delete`: deletes one of the caller's webhooks and announces the row as it was; replies 204. */
export const deleteWebhookEndpoint = defineOwnWebhookEndpoint({
	name: 'i/webhooks/delete',
	kind: 'write:account',
	noSuchWebhook: webhookApiErrors.noSuchWebhookOnDelete,
	take: (webhookId, { me, store }) => store.delete(webhookId, me.user.id),
	async answer(deleted, { registry }) {
		await registry.announce('webhookDeleted', deleted);
		return undefined;
	},
});
