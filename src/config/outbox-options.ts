import { durationOption, integerOption } from './option-checks.js';

/** How long finished deliveries and their attempts are kept: 14 days (Svix's recover window). */
export const DEFAULT_DELIVERY_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

export const DEFAULT_RECONCILE_INTERVAL_MS = 15_000;

/** The outbox's options, part of `WebhookModuleOptions`. */
export interface OutboxOptions {
	/**
	 * How often a worker process looks for unfinished deliveries whose job Redis lost, ms. Default 15 s: one indexed
	 * read of the pending rows per pass, so a Redis that came back empty costs deliveries at most this (plus the settle time).
	 */
	reconcileIntervalMs?: number;
	/**
	 * How long the reconciler waits before re-queueing a delivery it found without a job, ms. Default 1 s: an attempt
	 * that has just ended is written within ~50 ms, and a delivery that changed meanwhile is left alone.
	 */
	reconcileSettleMs?: number;
	/** Unfinished deliveries the reconciler reads and checks per round trip. Default 500. */
	reconcileBatchSize?: number;
	/** How long finished deliveries (and their attempts) are kept, ms. Default 14 days. */
	deliveryRetentionMs?: number;
	/** How often a worker process deletes finished deliveries older than the retention, ms. Default 1 h. */
	pruneIntervalMs?: number;
}

/** The outbox's options with their defaults, checked once (`normalizeOptions`). */
export function normalizeOutboxOptions(options: OutboxOptions): Required<OutboxOptions> {
	return {
		reconcileIntervalMs: durationOption('reconcileIntervalMs', options.reconcileIntervalMs, DEFAULT_RECONCILE_INTERVAL_MS, 1),
		reconcileSettleMs: durationOption('reconcileSettleMs', options.reconcileSettleMs, 1_000, 0),
		reconcileBatchSize: integerOption('reconcileBatchSize', options.reconcileBatchSize, 500, 1, 100_000),
		deliveryRetentionMs: durationOption('deliveryRetentionMs', options.deliveryRetentionMs, DEFAULT_DELIVERY_RETENTION_MS, 1),
		pruneIntervalMs: durationOption('pruneIntervalMs', options.pruneIntervalMs, 60 * 60 * 1000, 1),
	};
}
