import { secretsEqual } from '../signing/constant-time.js';
import { verifySignature, type SignatureFailureReason, type SignedBody } from '../signing/signature.js';
import { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../signing/standard-webhook-headers.js';
import { readWebhookPayload, type WebhookPayload } from './payload.js';
import { headerValue, type WebhookRequestHeaders } from './request-headers.js';

/** The clear secret header every Misskey server sends. */
export const MISSKEY_HOOK_SECRET_HEADER = 'x-misskey-hook-secret';

/** One received webhook request and the receiver's secrets (receiver side). */
export interface VerifyWebhookRequestInput {
	headers: WebhookRequestHeaders;
	/** The body exactly as received: verifying re-serialized JSON would fail on any difference in bytes. */
	rawBody: SignedBody;
	/** The webhook's secret as set on the server; must not be empty. */
	secret: string;
	/** The secret replaced last, accepted too while the receiver is mid-rotation. */
	previousSecret?: string | null;
	/** The receiver's clock in Unix seconds (default: now). */
	nowSeconds?: number;
	/** Accepted clock difference in seconds (default `WEBHOOK_TOLERANCE_SECONDS`, 300). */
	toleranceSeconds?: number;
}

/** Why a request was refused: a signature failure, a credential problem, or a body that is not a webhook envelope. */
export type WebhookRequestRejection =
	| SignatureFailureReason
	| 'no-secret-configured'
	| 'missing-credentials'
	| 'wrong-secret'
	| 'invalid-json'
	| 'invalid-payload';

/** The verdict on one request: its typed payload and how it was authenticated, or why it was refused. */
export type WebhookRequestVerification =
	| { ok: true; payload: WebhookPayload; via: 'signature' | 'secret-header' }
	| { ok: false; reason: WebhookRequestRejection; detail?: string };

/**
 * Authenticates a webhook request and reads its payload. A request carrying
 * `webhook-signature` must pass the Standard Webhooks check under `secret` or `previousSecret`, with no fallback to
 * the clear header, so a replayed signed request cannot slip through on its `X-Misskey-Hook-Secret`. A request
 * without it (servers that do not sign) must carry `X-Misskey-Hook-Secret` equal to one of them, compared in
 * constant time; an empty header never matches. The body is read only once the request is authenticated.
 */
export function verifyWebhookRequest(input: VerifyWebhookRequestInput): WebhookRequestVerification {
	// Without a secret nothing can be authenticated: refuse rather than accept everything.
	if (input.secret === '') return { ok: false, reason: 'no-secret-configured' };
	const secrets = input.previousSecret ? [input.secret, input.previousSecret] : [input.secret];

	const via = authenticate(input, secrets);
	if (via.ok === false) return via;
	const reading = readWebhookPayload(input.rawBody);
	if (!reading.ok) return reading;
	return { ok: true, payload: reading.payload, via: via.via };
}

type Authentication =
	| { ok: true; via: 'signature' | 'secret-header' }
	| { ok: false; reason: WebhookRequestRejection };

function authenticate(input: VerifyWebhookRequestInput, secrets: readonly string[]): Authentication {
	const signatureHeader = headerValue(input.headers, WEBHOOK_SIGNATURE_HEADER);
	if (signatureHeader !== undefined) {
		const verification = verifySignature({
			id: headerValue(input.headers, WEBHOOK_ID_HEADER),
			timestamp: headerValue(input.headers, WEBHOOK_TIMESTAMP_HEADER),
			body: input.rawBody,
			signatureHeader,
			secrets,
			nowSeconds: input.nowSeconds ?? Math.floor(Date.now() / 1000),
			toleranceSeconds: input.toleranceSeconds,
		});
		return verification.ok ? { ok: true, via: 'signature' } : verification;
	}
	const clearSecret = headerValue(input.headers, MISSKEY_HOOK_SECRET_HEADER);
	if (clearSecret === undefined) return { ok: false, reason: 'missing-credentials' };
	// Every secret is compared, matched or not, so timing does not tell which one (if any) matched.
	let matched = false;
	for (const secret of secrets) matched = secretsEqual(clearSecret, secret) || matched;
	return matched && clearSecret !== '' ? { ok: true, via: 'secret-header' } : { ok: false, reason: 'wrong-secret' };
}
