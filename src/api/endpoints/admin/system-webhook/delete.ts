import { defineModeratorEndpoint } from '../../../endpoint.js';
import { namingParams } from '../../../params/id-params.js';
import { ApiError } from '../../../errors/api-errors.js';
import { redactSystemWebhook } from '../../../packing/pack-system-webhook.js';
import { systemWebhookApiErrors } from '../../../errors/system-webhook-errors.js';

/**
 * `admin/system-webhook/delete`: deletes, announces `systemWebhookDeleted` with the row as it was, logs
 * `deleteSystemWebhook` `{ systemWebhookId, webhook }` (secret redacted); replies 204. An unknown id answers
 * NO_SUCH_SYSTEM_WEBHOOK (404), where Misskey fails with a 500: a defect we do not copy.
 */
export const deleteSystemWebhookEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/delete',
	kind: 'write:admin:system-webhook',
	params: namingParams('id'),
	errors: { noSuchSystemWebhook: systemWebhookApiErrors.noSuchSystemWebhook },
	async handler(params, { me, systemStore, registry, host }) {
		const deleted = await systemStore.delete(params.id);
		if (!deleted) throw new ApiError(systemWebhookApiErrors.noSuchSystemWebhook);
		await registry.announceSystem('systemWebhookDeleted', deleted);
		await host.logModeratorAction?.(me.user.id, 'deleteSystemWebhook', { systemWebhookId: deleted.id, webhook: redactSystemWebhook(deleted) });
		return undefined;
	},
});
