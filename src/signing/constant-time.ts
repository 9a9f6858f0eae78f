import { type Buffer } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether two byte strings are equal, in time independent of where they differ (Standard Webhooks: constant-time comparison). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
	// timingSafeEqual throws on unequal lengths; the length of a signature or digest is public anyway.
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether two secrets are equal without leaking their length or contents through timing (receiver):
 * both are hashed first, so the compared buffers always have the same length.
 */
export function secretsEqual(a: string, b: string): boolean {
	return constantTimeEqual(sha256(a), sha256(b));
}

function sha256(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}
