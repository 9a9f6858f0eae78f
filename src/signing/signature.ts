import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { signingKeysOf } from './signing-key.js';
import { constantTimeEqual } from './constant-time.js';

/** How far a `webhook-timestamp` may lie from the verifier's clock, either way: the reference libraries' 5 minutes. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The signature scheme we produce and verify: HMAC-SHA256 (Standard Webhooks `v1`). */
export const SIGNATURE_VERSION = 'v1';

/** A request body as it travels: the exact bytes, or a string standing for its UTF-8 bytes. */
export type SignedBody = string | Uint8Array;

/** What to sign: one delivery attempt. */
export interface SignPayloadInput {
	/** `webhook-id`: non-empty, without `.` (the signed content uses `.` as separator). */
	id: string;
	/** `webhook-timestamp`: whole Unix seconds of this attempt. */
	timestampSeconds: number;
	/** The exact body bytes sent. */
	body: SignedBody;
	/** Secrets in force, newest first; empty ones are skipped. */
	secrets: readonly string[];
}

/**
 * The `webhook-signature` value (Standard Webhooks v1): `v1,<base64 HMAC-SHA256 over
 * "id.timestamp.body">` per secret that has a key, newest first, space-delimited; `''` when no secret has one.
 */
export function signPayload(input: SignPayloadInput): string {
	assertSignable(input.id, input.timestampSeconds);
	return signingKeysOf(input.secrets)
		.map((key) => `${SIGNATURE_VERSION},${hmacBase64(key, input.id, String(input.timestampSeconds), input.body)}`)
		.join(' ');
}

/** Why a signature check failed, or that it passed (consumer verification). */
export type SignatureVerification =
	| { ok: true; timestampSeconds: number; /** Index in `secrets` of the secret whose signature matched. */ secretIndex: number }
	| { ok: false; reason: SignatureFailureReason };

/** The ways a Standard Webhooks signature check fails. */
export type SignatureFailureReason = 'missing-headers' | 'bad-timestamp' | 'too-old' | 'too-new' | 'no-match';

/** The header values of one request, as received (absent headers `undefined`), and what to check them against. */
export interface VerifySignatureInput {
	id: string | undefined;
	timestamp: string | undefined;
	body: SignedBody;
	signatureHeader: string | undefined;
	/** Secrets accepted, e.g. the current one and, during a rotation, the previous one; empty ones never match. */
	secrets: readonly string[];
	/** The verifier's clock in Unix seconds. */
	nowSeconds: number;
	toleranceSeconds?: number;
}

/**
 * Checks a Standard Webhooks v1 signature: all three headers
 * present, the timestamp within ±`toleranceSeconds`, and at least one `v1` entry of the space-delimited list equal,
 * compared in constant time, to the HMAC of "id.timestamp.body" under one of `secrets`. Other versions are skipped.
 */
export function verifySignature(input: VerifySignatureInput): SignatureVerification {
	const { id, timestamp, signatureHeader } = input;
	if (!id || !timestamp || !signatureHeader) return { ok: false, reason: 'missing-headers' };
	// Whole seconds only: the spec's integer; a laxer parse (parseInt) would accept "1700000000abc".
	if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
	const timestampSeconds = Number(timestamp);
	const toleranceSeconds = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
	if (input.nowSeconds - timestampSeconds > toleranceSeconds) return { ok: false, reason: 'too-old' };
	if (timestampSeconds - input.nowSeconds > toleranceSeconds) return { ok: false, reason: 'too-new' };

	const received = receivedV1Signatures(signatureHeader);
	if (received.length === 0) return { ok: false, reason: 'no-match' };
	// Index the keys by their secret's position, so the caller learns which secret (current or previous) matched.
	for (const [secretIndex, secret] of input.secrets.entries()) {
		const [key] = signingKeysOf([secret]);
		if (!key) continue;
		const expected = Buffer.from(hmacBase64(key, id, timestamp, input.body), 'utf8');
		for (const signature of received) {
			if (constantTimeEqual(signature, expected)) return { ok: true, timestampSeconds, secretIndex };
		}
	}
	return { ok: false, reason: 'no-match' };
}

/** The base64 texts of the `v1` entries of a `webhook-signature` header, as bytes; other versions are skipped. */
function receivedV1Signatures(header: string): Buffer[] {
	const signatures: Buffer[] = [];
	for (const entry of header.split(' ')) {
		const comma = entry.indexOf(',');
		if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
		signatures.push(Buffer.from(entry.slice(comma + 1), 'utf8'));
	}
	return signatures;
}

function hmacBase64(key: Uint8Array, id: string, timestamp: string, body: SignedBody): string {
	// Fed in parts so the body bytes are hashed as they are, never decoded and re-encoded.
	return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

function assertSignable(id: string, timestampSeconds: number): void {
	if (id === '' || id.includes('.')) throw new TypeError(`webhook-id must be non-empty and contain no ".": ${id}`);
	if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
		throw new TypeError(`webhook-timestamp must be whole non-negative seconds: ${timestampSeconds}`);
	}
}
