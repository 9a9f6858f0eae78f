import type { NormalizedOptions } from '../config.js';

type RetryOptions = Pick<NormalizedOptions, 'retryDelaysMs'>;

/** Misskey's attempt count for a user webhook job (spec §9). */
export const MISSKEY_ATTEMPTS = 4;

/** Misskey's longest backoff base: 8 h (spec §9). */
export const MISSKEY_MAX_BACKOFF_MS = 8 * 60 * 60 * 1000;

const MISSKEY_BACKOFF_UNIT_MS = 60_000;
const MISSKEY_JITTER_SHARE = 0.2;

/** Attempts per job: Misskey's 4, or one more than the configured delays (spec §9; `retryDelaysMs`). */
export function attemptsFor(options: RetryOptions): number {
	return options.retryDelaysMs ? options.retryDelaysMs.length + 1 : MISSKEY_ATTEMPTS;
}

/**
 * Delay before the next attempt after `attemptsMade` attempts (first retry: 1). Misskey's `httpRelatedBackoff`:
 * base = min((2^n − 1) × 60 s, 8 h), plus round(base × random × 0.2) (spec §9). Configured delays are used as is.
 */
export function retryDelayMs(attemptsMade: number, options: RetryOptions, random: () => number = Math.random): number {
	const configured = options.retryDelaysMs;
	if (configured) return configured[Math.min(Math.max(attemptsMade, 1), configured.length) - 1] ?? 0;
	const base = Math.min((2 ** attemptsMade - 1) * MISSKEY_BACKOFF_UNIT_MS, MISSKEY_MAX_BACKOFF_MS);
	return base + Math.round(base * random() * MISSKEY_JITTER_SHARE);
}
