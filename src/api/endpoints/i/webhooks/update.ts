import { userWebhookEventTypes } from '../../../../events/catalogue.js';
import type { WebhookChanges } from '../../../../store/webhook-store.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors.js';
import { webhookPauseApiErrors } from '../../../webhook-pause-errors.js';
import { checkWebhookUrl } from '../../../webhook-url.js';

/**
 * `i/webhooks/update` (spec §4): partial, omitted keys unchanged, `secret: null` stores ''; announces the fresh row;
 * replies 204. Ours (issue 3 point 4): `active: true` on a webhook a moderator paused is refused as a whole with
 * WEBHOOK_PAUSED_BY_MODERATOR; re-activating clears any other pause.
 */
export const updateWebhookEndpoint = defineEndpoint({
	name: 'i/webhooks/update',
	kind: 'write:account',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			webhookId: { type: 'string', format: 'misskey:id' },
			name: { type: 'string', minLength: 1, maxLength: 100 },
			url: { type: 'string', minLength: 1, maxLength: 1024 },
			secret: { type: 'string', maxLength: 1024, nullable: true },
			on: { type: 'array', items: { type: 'string', enum: userWebhookEventTypes } },
			active: { type: 'boolean' },
		},
		required: ['webhookId'],
	},
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnUpdate, pausedByModerator: webhookPauseApiErrors.pausedByModerator, invalidWebhookUrl: webhookApiErrors.invalidWebhookUrl },
	async handler(params, { me, store, registry, options }) {
		const urlError = params.url === undefined ? null : checkWebhookUrl(params.url, options.allowedNetworks);
		if (urlError) throw urlError;
		const changes: WebhookChanges = {};
		if (params.name !== undefined) changes.name = params.name;
		if (params.url !== undefined) changes.url = params.url;
		if (params.secret !== undefined) changes.secret = params.secret ?? '';
		if (params.on !== undefined) changes.on = params.on;
		if (params.active !== undefined) changes.active = params.active;
		const outcome = await store.updateByOwner(params.webhookId, me.user.id, changes);
		switch (outcome.kind) {
			case 'missing':
				throw new ApiError(webhookApiErrors.noSuchWebhookOnUpdate);
			case 'pausedByModerator':
				throw new ApiError(webhookPauseApiErrors.pausedByModerator);
			case 'updated':
				await registry.announce('webhookUpdated', outcome.row);
				return undefined;
		}
	},
});
