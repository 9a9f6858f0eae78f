/** How long finished deliveries and their attempts are kept: 14 days (issue 4 point 3; Svix's recover window). */
export const DEFAULT_DELIVERY_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

/** The outbox's options (issue 4 point 3), part of `WebhookModuleOptions`. */
export interface OutboxOptions {
	/** How often a worker process looks for unfinished deliveries whose job Redis lost, ms. Default 30 s. */
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
	const normalized = {
		reconcileIntervalMs: options.reconcileIntervalMs ?? 30_000,
		reconcileSettleMs: options.reconcileSettleMs ?? 1_000,
		reconcileBatchSize: options.reconcileBatchSize ?? 500,
		deliveryRetentionMs: options.deliveryRetentionMs ?? DEFAULT_DELIVERY_RETENTION_MS,
		pruneIntervalMs: options.pruneIntervalMs ?? 60 * 60 * 1000,
	};
	for (const name of ['reconcileIntervalMs', 'deliveryRetentionMs', 'pruneIntervalMs'] as const) {
		if (!(Number.isFinite(normalized[name]) && normalized[name] > 0)) throw new TypeError(`${name} must be a positive number: ${String(normalized[name])}`);
	}
	if (!(Number.isFinite(normalized.reconcileSettleMs) && normalized.reconcileSettleMs >= 0)) {
		throw new TypeError(`reconcileSettleMs must be a non-negative number: ${String(normalized.reconcileSettleMs)}`);
	}
	if (!(Number.isInteger(normalized.reconcileBatchSize) && normalized.reconcileBatchSize > 0)) {
		throw new TypeError(`reconcileBatchSize must be a positive integer: ${String(normalized.reconcileBatchSize)}`);
	}
	return normalized;
}
