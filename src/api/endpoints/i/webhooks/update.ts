import { userWebhookEventTypes } from '../../../../events/catalogue.js';
import type { WebhookChanges } from '../../../../store/webhook-store.js';
import { defineEndpoint } from '../../../endpoint.js';
import { ApiError, webhookApiErrors } from '../../../errors.js';

/** `i/webhooks/update` (spec §4): partial, omitted keys unchanged, `secret: null` stores ''; announces the fresh row; replies 204. */
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
	errors: { noSuchWebhook: webhookApiErrors.noSuchWebhookOnUpdate },
	async handler(params, { me, store, registry }) {
		const changes: WebhookChanges = {};
		if (params.name !== undefined) changes.name = params.name;
		if (params.url !== undefined) changes.url = params.url;
		if (params.secret !== undefined) changes.secret = params.secret ?? '';
		if (params.on !== undefined) changes.on = params.on;
		if (params.active !== undefined) changes.active = params.active;
		const updated = await store.update(params.webhookId, me.user.id, changes);
		if (!updated) throw new ApiError(webhookApiErrors.noSuchWebhookOnUpdate);
		await registry.announce('webhookUpdated', updated);
		return undefined;
	},
});
