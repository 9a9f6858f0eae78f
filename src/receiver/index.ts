// What a webhook receiver imports: authenticate a delivery and get its typed payload.
export {
	verifyWebhookRequest,
	MISSKEY_HOOK_SECRET_HEADER,
	type VerifyWebhookRequestInput,
	type WebhookRequestVerification,
	type WebhookRequestRejection,
} from './verify-webhook-request.js';
export {
	readWebhookPayload,
	type WebhookPayload,
	type UserWebhookPayload,
	type UserWebhookBodies,
	type SystemWebhookPayload,
	type SystemWebhookBodies,
	type PayloadReading,
} from './payload.js';
export { headerValue, type WebhookRequestHeaders } from './request-headers.js';
