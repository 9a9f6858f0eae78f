import { signPayload, type SignedBody } from './signature.js';

/** Standard Webhooks header names, lower-case as the spec writes them. */
export const WEBHOOK_ID_HEADER = 'webhook-id';
/** See {@link WEBHOOK_ID_HEADER}. */
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
/** See {@link WEBHOOK_ID_HEADER}. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** One delivery attempt to sign. */
export interface StandardWebhookHeadersInput {
	/** The delivery's `eventId`: the same on every retry and redelivery, so receivers can deduplicate on it. */
	eventId: string;
	/** When this attempt is made; its whole seconds become `webhook-timestamp`. */
	attemptAt: Date;
	/** The exact body bytes this attempt sends. */
	body: SignedBody;
	/** Secrets in force, newest first (see `secretsInForce`). */
	secrets: readonly string[];
}

/**
 * The Standard Webhooks headers of one attempt. `webhook-id` and
 * `webhook-timestamp` are always sent: without a secret they authenticate nothing, but they are harmless and give
 * every receiver an idempotency key. `webhook-signature` is sent only when at least one secret has a key, since an
 * unkeyed "signature" would prove nothing.
 */
export function standardWebhookHeaders(input: StandardWebhookHeadersInput): Record<string, string> {
	const timestampSeconds = Math.floor(input.attemptAt.getTime() / 1000);
	const headers: Record<string, string> = {
		[WEBHOOK_ID_HEADER]: input.eventId,
		[WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
	};
	const signature = signPayload({ id: input.eventId, timestampSeconds, body: input.body, secrets: input.secrets });
	if (signature !== '') headers[WEBHOOK_SIGNATURE_HEADER] = signature;
	return headers;
}
