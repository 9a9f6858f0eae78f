import type { DeliveryOutcome } from '../retry/outcome.js';
import type { AttemptRecord } from '../log/attempt-record.js';

/** The longest `pausedReason` the tables hold (varchar(512)). */
export const PAUSED_REASON_MAX_LENGTH = 512;

/** Who the module names as pausing a webhook: `auto` after the failure window, `gone` after a 410. */
export type AutomaticPauseCause = 'auto' | 'gone';

/**
 * What one attempt does to the webhook's failure streak (`failingSince`; Svix: any success clears the record): a
 * delivered attempt ends it; any other attempt starts it at the attempt's time unless one is already running.
 */
export type FailureStreakChange =
	| { kind: 'clear' }
	| { kind: 'failed'; at: Date };

/** The streak change of one attempt (any success resets it). */
export function failureStreakChangeOf(attempt: Pick<AttemptRecord, 'outcome' | 'startedAt'>): FailureStreakChange {
	return attempt.outcome.kind === 'delivered' ? { kind: 'clear' } : { kind: 'failed', at: attempt.startedAt };
}

/**
 * A pause one attempt may cause: `gone` at once, or `auto` only if the streak is older than the window when it lands
 * (the window is judged in the same statement that pauses, so concurrent attempts cannot race it).
 */
export interface PauseCandidate {
	cause: AutomaticPauseCause;
	reason: string;
}

/**
 * Which pause an attempt asks for (docs/auto-disable.md): a 410 Gone
 * (`disable`) pauses at once; a delivery that ended undelivered (retries exhausted, or a final failure) pauses if every
 * delivery failed for the window; anything else asks for none.
 */
export function pauseCandidateOf(attempt: Pick<AttemptRecord, 'outcome' | 'finished'>, autoDisableAfterMs: number): PauseCandidate | null {
	const { outcome } = attempt;
	if (outcome.kind === 'disable') return { cause: 'gone', reason: goneReason(outcome) };
	if (outcome.kind === 'delivered' || !attempt.finished) return null;
	return { cause: 'auto', reason: autoDisableReason(autoDisableAfterMs, outcome) };
}

/** The latest `failingSince` old enough to pause at `nowMs`: a streak that began at or before it has lasted the window. */
export function autoDisableCutoff(nowMs: number, autoDisableAfterMs: number): Date {
	return new Date(nowMs - autoDisableAfterMs);
}

/** The owner's words for a 410 pause, e.g. "The receiver answered 410 Gone: …". */
export function goneReason(outcome: Extract<DeliveryOutcome, { kind: 'disable' }>): string {
	return clip(`The receiver answered ${outcome.reason}: the endpoint says it is gone for good, so no more deliveries are sent.`);
}

/** The owner's words for an auto pause, e.g. "Every delivery failed for 5 days; the last one exhausted its retries (503 Service Unavailable)." */
export function autoDisableReason(autoDisableAfterMs: number, outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>): string {
	const last = outcome.kind === 'retry' ? 'the last one exhausted its retries' : 'the last one failed without a retry';
	return clip(`Every delivery failed for ${describeDurationMs(autoDisableAfterMs)}; ${last} (${outcome.reason}).`);
}

const units: ReadonlyArray<[ms: number, singular: string]> = [
	[24 * 60 * 60 * 1000, 'day'],
	[60 * 60 * 1000, 'hour'],
	[60 * 1000, 'minute'],
	[1000, 'second'],
	[1, 'millisecond'],
];

/** A duration in the largest unit that divides it exactly: 432 000 000 → "5 days", 90 000 → "90 seconds". */
export function describeDurationMs(ms: number): string {
	const [size, unit] = units.find(([unitMs]) => ms >= unitMs && ms % unitMs === 0) ?? [1, 'millisecond'];
	const count = ms / size;
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function clip(text: string): string {
	return text.length <= PAUSED_REASON_MAX_LENGTH ? text : `${text.slice(0, PAUSED_REASON_MAX_LENGTH - 1)}…`;
}
