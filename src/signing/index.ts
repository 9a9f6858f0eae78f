// Standard Webhooks v1 signing, shared by the sender and the receiver helper.
export { signingKeyOf, STANDARD_WEBHOOKS_SECRET_PREFIX } from './signing-key.js';
export {
	signPayload,
	verifySignature,
	WEBHOOK_TOLERANCE_SECONDS,
	type SignedBody,
	type SignPayloadInput,
	type SignatureVerification,
	type SignatureFailureReason,
	type VerifySignatureInput,
} from './signature.js';
export {
	standardWebhookHeaders,
	WEBHOOK_ID_HEADER,
	WEBHOOK_TIMESTAMP_HEADER,
	WEBHOOK_SIGNATURE_HEADER,
	type StandardWebhookHeadersInput,
} from './standard-webhook-headers.js';
export { secretsInForce, rotateSecret, SECRET_ROTATION_GRACE_MS, type SecretRotationState } from './secret-rotation.js';
