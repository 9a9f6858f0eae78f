import { STATUS_CODES } from 'node:http';
import type { SendResult } from './send-result.js';
import { parseRetryAfterMs } from './retry-after.js';

/** `latestStatus` of an attempt that got no HTTP response (Misskey). */
export const NO_RESPONSE_STATUS = 1;

/** The error class of a delivery the address guard refused to connect: final, never retried. */
export const BLOCKED_ADDRESS_ERROR_CLASS = 'blocked-address';

/** The error class of a delivery whose payload template could not be rendered: nothing was sent, and it is final. */
export const TEMPLATE_ERROR_CLASS = 'template-render';

/** The error classes of an attempt that ran out of time: the policy waits at least its overload floor after them. */
export const TIMEOUT_ERROR_CLASSES: readonly string[] = ['timeout', 'ETIMEDOUT'];

/**
 * What becomes of a delivery after one attempt (docs/retries.md):
 * delivered; retry (the policy picks the delay: `retryAfterMs` is what the receiver asked for, `throttle` asks for the
 * overload floor); final (no further attempt); disable (no further attempt, and the webhook is paused at once).
 */
export type DeliveryOutcome =
	| { kind: 'delivered'; status: number }
	| { kind: 'retry'; status: number; reason: string; throttle: boolean; retryAfterMs?: number }
	| { kind: 'final'; status: number; reason: string }
	| { kind: 'disable'; status: number; reason: string };

/**
 * Classifies one attempt (docs/retries.md): 2xx delivered; 3xx a failure, retried (redirects
 * are never followed); 408 retried; 410 disables the webhook; 429 retried with throttle and its Retry-After; 5xx retried
 * with its Retry-After; other 4xx final; any other status retried. No response is retried with status 1, throttled
 * after a timeout, except a blocked address and a template that could not be rendered, which are final. The same rules hold for every retry policy preset.
 */
export function classifyDelivery(result: SendResult, nowMs: () => number = Date.now): DeliveryOutcome {
	if (result.kind === 'no-response') return classifyNoResponse(result);
	const { status } = result;
	if (status >= 200 && status < 300) return { kind: 'delivered', status };
	const reason = `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
	if (status === 410) return { kind: 'disable', status, reason };
	if (status === 429 || (status >= 500 && status < 600)) {
		const retryAfterMs = parseRetryAfterMs(result.retryAfter, nowMs());
		const outcome = { kind: 'retry' as const, status, reason, throttle: status === 429 };
		return retryAfterMs === undefined ? outcome : { ...outcome, retryAfterMs };
	}
	// Misskey gives up on 408; a receiver that timed out reading our request may well take the next one.
	if (status >= 400 && status < 500 && status !== 408) return { kind: 'final', status, reason };
	return { kind: 'retry', status, reason, throttle: false };
}

function classifyNoResponse(result: Extract<SendResult, { kind: 'no-response' }>): DeliveryOutcome {
	const { errorClass } = result;
	// The class leads, so the reason stays greppable; the sender's detail (which address was blocked) follows it.
	const reason = result.reason ? `${errorClass}: ${result.reason}` : errorClass;
	if (errorClass === BLOCKED_ADDRESS_ERROR_CLASS || errorClass === TEMPLATE_ERROR_CLASS) return { kind: 'final', status: NO_RESPONSE_STATUS, reason };
	return { kind: 'retry', status: NO_RESPONSE_STATUS, reason, throttle: TIMEOUT_ERROR_CLASSES.includes(errorClass) };
}
