import type { DeliveryOutcome } from './outcome.js';
import type { RetryPolicyName } from '../../core/retry-policy-name.js';

/** The operator's exact timetable, when set (`retryDelaysMs`), overrides every preset. */
interface RetryOptions {
	retryDelaysMs: readonly number[] | null;
}

/** Random spread of a scheduled delay, as shares of it: the delay becomes base × (1 + minShare … maxShare). */
export interface RetryJitter {
	readonly minShare: number;
	readonly maxShare: number;
}

/** A retry schedule as data: k delays mean k + 1 attempts. */
export interface RetryPolicy {
	/** Delays before attempts 2, 3, … in ms, before jitter. */
	readonly delaysMs: readonly number[];
	readonly jitter: RetryJitter;
	/** Whether `Retry-After` and the overload floor may lengthen a delay; off for an operator's exact timetable. */
	readonly adaptive: boolean;
}

/** Misskey's attempt count for a user webhook job. */
export const MISSKEY_ATTEMPTS = 4;

/** Misskey's longest backoff base: 8 h. */
export const MISSKEY_MAX_BACKOFF_MS = 8 * 60 * 60 * 1000;

/** Least wait after a 429 or a timeout, whatever the schedule says: the receiver is overloaded (Svix's rule). */
export const OVERLOAD_FLOOR_MS = 60_000;

const MISSKEY_BACKOFF_UNIT_MS = 60_000;
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Misskey's `httpRelatedBackoff` base before attempt n + 1: min((2^n − 1) × 60 s, 8 h). */
export function misskeyBackoffMs(attemptsMade: number): number {
	return Math.min((2 ** attemptsMade - 1) * MISSKEY_BACKOFF_UNIT_MS, MISSKEY_MAX_BACKOFF_MS);
}

/**
 * The presets: `misskey` is Misskey's 4 attempts over ≈ 11 min with +0–20 % jitter;
 * `standard` is Standard Webhooks' 10 attempts over 75 h 35 min 5 s with ±20 % jitter.
 */
export const retryPolicies: Readonly<Record<RetryPolicyName, RetryPolicy>> = {
	misskey: {
		delaysMs: Array.from({ length: MISSKEY_ATTEMPTS - 1 }, (_, index) => misskeyBackoffMs(index + 1)),
		jitter: { minShare: 0, maxShare: 0.2 },
		adaptive: true,
	},
	standard: {
		delaysMs: [5 * SECOND_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 5 * HOUR_MS, 10 * HOUR_MS, 14 * HOUR_MS, 20 * HOUR_MS, 24 * HOUR_MS],
		jitter: { minShare: -0.2, maxShare: 0.2 },
		adaptive: true,
	},
};

/** An operator's `retryDelaysMs` as a policy: used exactly as given, with no jitter, Retry-After or floor. */
export function configuredRetryPolicy(delaysMs: readonly number[]): RetryPolicy {
	return { delaysMs: [...delaysMs], jitter: { minShare: 0, maxShare: 0 }, adaptive: false };
}

/** The policy a delivery follows: the operator's `retryDelaysMs` when set, else the named preset (`retryDelaysMs`). */
export function effectiveRetryPolicy(options: RetryOptions, name: RetryPolicyName): RetryPolicy {
	return options.retryDelaysMs ? configuredRetryPolicy(options.retryDelaysMs) : retryPolicies[name];
}

/** Attempts a policy makes in all: one more than its delays. */
export function attemptsOf(policy: RetryPolicy): number {
	return policy.delaysMs.length + 1;
}

/**
 * The jittered delay the schedule gives before attempt `attemptsMade + 1` (first retry: 1), before Retry-After and the
 * floor apply. Past the schedule's end its last delay repeats, so a job given extra attempts still waits.
 */
export function scheduledDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
	const { delaysMs, jitter } = policy;
	if (delaysMs.length === 0) return 0;
	const base = delaysMs[Math.min(Math.max(attemptsMade, 1), delaysMs.length) - 1];
	const share = jitter.minShare + random() * (jitter.maxShare - jitter.minShare);
	return base + Math.round(base * share);
}

/** What `nextDelayMs` needs; `random` is injected so the jitter can be pinned. */
export interface NextDelayInput {
	policy: RetryPolicy;
	/** Attempts made so far, the one just classified included. */
	attemptsMade: number;
	outcome: DeliveryOutcome;
	random?: () => number;
}

/**
 * Ms until the next attempt, or null when there is none: the outcome is not `retry`, or the policy's attempts are spent
 *. `Retry-After` is clamped to between 1× and 2× the scheduled delay; a throttled outcome (429,
 * timeout) waits at least `OVERLOAD_FLOOR_MS`. An operator's exact timetable skips both.
 */
export function nextDelayMs(input: NextDelayInput): number | null {
	const { policy, attemptsMade, outcome } = input;
	if (outcome.kind !== 'retry' || attemptsMade >= attemptsOf(policy)) return null;
	const scheduled = scheduledDelayMs(policy, attemptsMade, input.random);
	if (!policy.adaptive) return scheduled;
	const asked = outcome.retryAfterMs === undefined ? scheduled : Math.min(Math.max(outcome.retryAfterMs, scheduled), 2 * scheduled);
	return outcome.throttle ? Math.max(asked, OVERLOAD_FLOOR_MS) : asked;
}
