import { webhookApiErrors } from '../../../errors/api-errors.js';
import { packUserWebhookFor } from '../../../packing/pack-user-webhook.js';
import { defineOwnWebhookEndpoint } from '../../../own-webhook-endpoint.js';

/** `i/webhooks/show`: one of the caller's webhooks (the secret withheld from an app token); another user's looks missing. */
export const showWebhookEndpoint = defineOwnWebhookEndpoint({
	name: 'i/webhooks/show',
	kind: 'read:account',
	noSuchWebhook: webhookApiErrors.noSuchWebhookOnShow,
	take: (webhookId, { me, store }) => store.findOwned(webhookId, me.user.id),
	answer: async (row, { me }) => packUserWebhookFor(me, row),
});
