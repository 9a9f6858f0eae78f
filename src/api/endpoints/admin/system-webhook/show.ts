import { defineModeratorEndpoint } from '../../../endpoint.js';
import { namingParams } from '../../../params/id-params.js';
import { ApiError } from '../../../errors/api-errors.js';
import { packSystemWebhook } from '../../../packing/pack-system-webhook.js';
import { systemWebhookApiErrors } from '../../../errors/system-webhook-errors.js';

/** `admin/system-webhook/show`: one system webhook, secret included; NO_SUCH_SYSTEM_WEBHOOK (404) when unknown. */
export const showSystemWebhookEndpoint = defineModeratorEndpoint({
	name: 'admin/system-webhook/show',
	kind: 'write:admin:system-webhook',
	params: namingParams('id'),
	errors: { noSuchSystemWebhook: systemWebhookApiErrors.noSuchSystemWebhook },
	async handler(params, { systemStore }) {
		const row = await systemStore.findById(params.id);
		if (!row) throw new ApiError(systemWebhookApiErrors.noSuchSystemWebhook);
		return packSystemWebhook(row);
	},
});
