import { durationOption, integerOption } from './option-checks.js';

/** How fairly worker slots are shared between receivers, and when a receiver's circuit opens (docs/fairness.md). */
export interface FairnessOptions {
	/** Requests in flight at once to one target host that answers, per worker process. Default 8. */
	concurrencyPerTargetHost?: number;
	/**
	 * The most requests in flight at once to one target host that answers fast and well, per worker process: its share
	 * grows from `concurrencyPerTargetHost` towards this while it answers quickly, and falls back when it answers 429 or
	 * 5xx, slows down or stops answering. Default `workerConcurrency` when `concurrencyPerTargetHost` is not set, else
	 * `concurrencyPerTargetHost` (a share set by hand stays a hard cap).
	 */
	maxConcurrencyPerTargetHost?: number;
	/**
	 * Consecutive attempts to one target host that got no answer (timeout, connection refused or reset) before its
	 * circuit opens and its deliveries are deferred without sending. Default 5: one unlucky timeout is not a dead host.
	 */
	circuitBreakerThreshold?: number;
	/** How long an open circuit defers its host's deliveries before one probe goes through, ms. Default 30 s. */
	circuitBreakerCoolDownMs?: number;
	/**
	 * The longest cool-down, ms: each failed probe doubles the last one up to this. Default 10 min, so a receiver that
	 * comes back is tried again within minutes, while a dead one costs one request per 10 min.
	 */
	circuitBreakerMaxCoolDownMs?: number;
	/**
	 * Worker slots that target hosts without a recent answer may hold together, per worker process. Default half of
	 * `workerConcurrency` (rounded up): the other half always stays free for receivers that answer.
	 */
	unansweredHostsConcurrency?: number;
}

/** The fairness options with their defaults, checked once (`normalizeOptions`); some bounds depend on `workerConcurrency`. */
export function normalizeFairnessOptions(options: FairnessOptions, workerConcurrency: number): Required<FairnessOptions> {
	const concurrencyPerTargetHost = integerOption('concurrencyPerTargetHost', options.concurrencyPerTargetHost, 8, 1, 10_000);
	const circuitBreakerCoolDownMs = durationOption('circuitBreakerCoolDownMs', options.circuitBreakerCoolDownMs, 30_000, 1, 86_400_000);
	return {
		concurrencyPerTargetHost,
		maxConcurrencyPerTargetHost: integerOption(
			'maxConcurrencyPerTargetHost',
			options.maxConcurrencyPerTargetHost,
			options.concurrencyPerTargetHost === undefined ? Math.max(concurrencyPerTargetHost, workerConcurrency) : concurrencyPerTargetHost,
			concurrencyPerTargetHost,
			10_000,
		),
		circuitBreakerThreshold: integerOption('circuitBreakerThreshold', options.circuitBreakerThreshold, 5, 1, 1000),
		circuitBreakerCoolDownMs,
		circuitBreakerMaxCoolDownMs: durationOption(
			'circuitBreakerMaxCoolDownMs',
			options.circuitBreakerMaxCoolDownMs,
			Math.max(600_000, circuitBreakerCoolDownMs),
			circuitBreakerCoolDownMs,
			86_400_000,
		),
		unansweredHostsConcurrency: integerOption('unansweredHostsConcurrency', options.unansweredHostsConcurrency, Math.ceil(workerConcurrency / 2), 1, workerConcurrency),
	};
}
