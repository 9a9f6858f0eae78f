import { defineModeratorEndpoint } from '../../../endpoint.js';
import { packModeratorUserWebhooks } from '../../../packing/pack-moderator-user-webhook.js';
import { idParam, paginationParams } from '../../../params/id-params.js';

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
			userId: idParam,
			active: { type: 'boolean' },
			failing: { type: 'boolean' },
			...paginationParams,
		},
	},
	errors: {},
	async handler(params, { store, host }) {
		const rows = await store.listForModerators(params);
		return packModeratorUserWebhooks(rows, host);
	},
});
