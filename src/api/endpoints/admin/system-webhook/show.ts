import { defineEndpoint } from '../../../endpoint.js';
import { ApiError } from '../../../errors.js';
import { packSystemWebhook } from '../../../pack-system-webhook.js';
import { systemWebhookApiErrors } from '../../../system-webhook-errors.js';

/** `admin/system-webhook/show`: one system webhook, secret included; NO_SUCH_SYSTEM_WEBHOOK (404) when unknown. */
export const showSystemWebhookEndpoint = defineEndpoint({
	name: 'admin/system-webhook/show',
	kind: 'write:admin:system-webhook',
	requireCredential: true,
	requireModerator: true,
	secure: true,
	params: {
		type: 'object',
		properties: {
			id: { type: 'string', format: 'misskey:id' },
		},
		required: ['id'],
	},
	errors: { noSuchSystemWebhook: systemWebhookApiErrors.noSuchSystemWebhook },
	async handler(params, { systemStore }) {
		const row = await systemStore.findById(params.id);
		if (!row) throw new ApiError(systemWebhookApiErrors.noSuchSystemWebhook);
		return packSystemWebhook(row);
	},
});
