import { defineModeratorEndpoint } from '../../../endpoint.js';
import { packModeratorUserWebhooks } from '../../../packing/pack-moderator-user-webhook.js';

/**
 * `admin/webhooks/list` (ours): every user's webhooks for moderators, newest first, with the owner
 * as UserLite and the status, never the secret. `failing` follows Misskey's status icon; `sinceId` /
 * `untilId` select as Misskey's pagination does, and every page comes newest first.
 */
export const listUserWebhooksForModeratorsEndpoint = defineModeratorEndpoint({
	name: 'admin/webhooks/list',
	kind: 'read:admin:webhooks',
	params: {
		type: 'object',
		properties: {
			userId: { type: 'string', format: 'misskey:id' },
			active: { type: 'boolean' },
			failing: { type: 'boolean' },
			limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
			sinceId: { type: 'string', format: 'misskey:id' },
			untilId: { type: 'string', format: 'misskey:id' },
		},
	},
	errors: {},
	async handler(params, { store, host }) {
		const rows = await store.listForModerators(params);
		return packModeratorUserWebhooks(rows, host);
	},
});
