import type { RetryPolicy } from '../retry/retry-policy.js';
import { nextDelayMs, scheduledDelayMs } from '../retry/retry-policy.js';
import { WebhookDeliveryFailed } from './worker.js';

/** Bull's answer for "do not retry": the job moves to failed at once. */
export const BULL_NO_RETRY = -1;

/** What a queue's custom backoff strategy hands over: Bull calls it with the attempts made and the error thrown. */
export interface RetryBackoffInput {
	policy: RetryPolicy;
	attemptsMade: number;
	error: unknown;
	random?: () => number;
}

/**
 * The delay Bull waits before the next attempt: the policy's `nextDelayMs` for the outcome the failed
 * attempt threw, so Retry-After and the overload floor reach the queue; `BULL_NO_RETRY` when the policy has no next
 * attempt. An error that carries no outcome (a bug, broken infrastructure) still waits the scheduled delay.
 */
export function retryBackoffMs(input: RetryBackoffInput): number {
	const { policy, attemptsMade, error, random } = input;
	if (!(error instanceof WebhookDeliveryFailed)) return scheduledDelayMs(policy, attemptsMade, random);
	return nextDelayMs({ policy, attemptsMade, outcome: error.outcome, random }) ?? BULL_NO_RETRY;
}
