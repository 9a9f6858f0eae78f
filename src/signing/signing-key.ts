import { Buffer } from 'node:buffer';

/** Prefix of a Standard Webhooks secret whose key is the base64 after it (the Standard Webhooks secret format). */
export const STANDARD_WEBHOOKS_SECRET_PREFIX = 'whsec_';

/**
 * The HMAC key of a webhook secret: for a secret starting with `whsec_`, the base64 after the
 * prefix, decoded; otherwise the secret's UTF-8 bytes, so a Misskey secret typed by a user keeps working as is.
 * Node's base64 decoder skips characters outside the alphabet rather than failing, so a malformed `whsec_` secret
 * still yields a key (possibly empty: callers treat an empty key as no key).
 */
export function signingKeyOf(secret: string): Buffer {
	if (secret.startsWith(STANDARD_WEBHOOKS_SECRET_PREFIX)) {
		return Buffer.from(secret.slice(STANDARD_WEBHOOKS_SECRET_PREFIX.length), 'base64');
	}
	return Buffer.from(secret, 'utf8');
}

/** The keys of the secrets that can sign, in the given order: empty secrets and secrets with an empty key are left out. */
export function signingKeysOf(secrets: readonly string[]): Buffer[] {
	const keys: Buffer[] = [];
	for (const secret of secrets) {
		if (secret === '') continue;
		const key = signingKeyOf(secret);
		// An empty HMAC key signs anything anyone can reproduce; it must never count as a secret.
		if (key.length > 0) keys.push(key);
	}
	return keys;
}
