import { defineApiError, webhookApiErrors } from './api-errors.js';

/**
 * The `admin/system-webhook/*` endpoint errors. NO_SUCH_SYSTEM_WEBHOOK is Misskey's `show` error (kind
 * `server`, HTTP 404); we also answer it on `update` and `delete`, where Misskey fails with a 500.
 * The test endpoint shares NO_SUCH_WEBHOOK, id included, with `i/webhooks/test`, as Misskey does.
 */
export const systemWebhookApiErrors = {
	noSuchSystemWebhook: defineApiError({
		code: 'NO_SUCH_SYSTEM_WEBHOOK',
		id: '38dd1ffe-04b4-6ff5-d8ba-4e6a6ae22c9d',
		message: 'No such SystemWebhook.',
		kind: 'server',
		httpStatus: 404,
	}),
	noSuchWebhookOnTest: webhookApiErrors.noSuchWebhookOnTest,
} as const;
