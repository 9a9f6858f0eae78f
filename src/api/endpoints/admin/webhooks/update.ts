import { defineModeratorEndpoint } from '../../../endpoint.js';
import { ApiError } from '../../../errors/api-errors.js';
import { redactUserWebhook } from '../../../packing/pack-moderator-user-webhook.js';
import { webhookPauseApiErrors } from '../../../errors/webhook-pause-errors.js';
import { namingParams } from '../../../params/id-params.js';

/**
 * `admin/webhooks/update` (ours): `active: false` pauses any user's webhook as a moderator (the owner
 * cannot re-activate it), `active: true` clears the pause and re-activates it. Announces `webhookUpdated` and logs
 * `updateUserWebhook` with the secret redacted; replies 204.
 */
export const updateUserWebhookAsModeratorEndpoint = defineModeratorEndpoint({
	name: 'admin/webhooks/update',
	kind: 'write:admin:webhooks',
	params: namingParams('webhookId', {
		active: { type: 'boolean' },
		reason: { type: 'string', maxLength: 512 },
	}, ['active']),
	errors: { noSuchWebhook: webhookPauseApiErrors.noSuchWebhookOnModeratorUpdate },
	async handler(params, { me, store, registry, host }) {
		const before = await store.findById(params.webhookId);
		if (!before) throw new ApiError(webhookPauseApiErrors.noSuchWebhookOnModeratorUpdate);
		const reason = params.reason ?? null;
		const after = params.active
			? await store.resumeByModerator(params.webhookId)
			: await store.pauseByModerator(params.webhookId, me.user.id, reason);
		// Deleted by its owner in the meantime: as missing as if it had never been there.
		if (!after) throw new ApiError(webhookPauseApiErrors.noSuchWebhookOnModeratorUpdate);
		await registry.announce('webhookUpdated', after);
		await host.logModeratorAction?.(me.user.id, 'updateUserWebhook', {
			webhookId: after.id,
			userId: after.userId,
			before: redactUserWebhook(before),
			after: redactUserWebhook(after),
			reason,
		});
		return undefined;
	},
});
