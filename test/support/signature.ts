import { Webhook } from 'standardwebhooks';
import type { ReceivedRequest } from './receiver.js';

/** A receiver's view of one request's headers, as the standardwebhooks package reads them. */
export function signatureHeaders(request: ReceivedRequest): Record<string, string> {
	return {
		'webhook-id': String(request.headers['webhook-id']),
		'webhook-timestamp': String(request.headers['webhook-timestamp']),
		'webhook-signature': String(request.headers['webhook-signature']),
	};
}

/**
 * The standardwebhooks verifier of a secret: a `whsec_` one as the package expects it, a plain one as a raw key of its
 * UTF-8 bytes (given as bytes: the package reads a raw string one UTF-16 unit per byte).
 */
export function verifierOf(secret: string): Webhook {
	return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

/** Whether the standardwebhooks package accepts the request under `secret`, as a receiver would check it. */
export function verifies(secret: string, request: ReceivedRequest): boolean {
	try {
		verifierOf(secret).verify(request.rawBody, signatureHeaders(request));
		return true;
	} catch {
		return false;
	}
}
