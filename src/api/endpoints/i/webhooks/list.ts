import { defineEndpoint } from '../../../endpoint.js';
import { packUserWebhookFor } from '../../../packing/pack-user-webhook.js';

/** `i/webhooks/list`: every webhook of the caller, unpaginated; secrets included for a native token, withheld for an app's. */
export const listWebhooksEndpoint = defineEndpoint({
	name: 'i/webhooks/list',
	kind: 'read:account',
	requireCredential: true,
	params: { type: 'object', properties: {} },
	errors: {},
	async handler(_params, { me, store }) {
		const rows = await store.listByUser(me.user.id);
		return rows.map((row) => packUserWebhookFor(me, row));
	},
});
