import { STATUS_CODES } from 'node:http';
import type { SendResult } from './send-result.js';

/** `latestStatus` of an attempt that got no HTTP response (Misskey, spec §8.3). */
export const NO_RESPONSE_STATUS = 1;

/** What becomes of a job after one attempt (spec §8.3). */
export type DeliveryOutcome =
	| { kind: 'delivered'; status: number }
	| { kind: 'retry'; status: number; reason: string }
	| { kind: 'final'; status: number; reason: string };

/**
 * Classifies one attempt as Misskey does (spec §8.3): 2xx delivered; 4xx except 429 (408 included) final;
 * 429, 5xx and every other status retried; no response retried with status 1.
 * Redirects are not followed, so a 3xx lands here as "another non-2xx" and is retried.
 */
export function classifyDelivery(result: SendResult): DeliveryOutcome {
	if (result.kind === 'no-response') return { kind: 'retry', status: NO_RESPONSE_STATUS, reason: result.errorClass };
	const { status } = result;
	if (status >= 200 && status < 300) return { kind: 'delivered', status };
	const reason = `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
	if (status >= 400 && status < 500 && status !== 429) return { kind: 'final', status, reason };
	return { kind: 'retry', status, reason };
}
