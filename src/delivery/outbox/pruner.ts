import type { DeliveryStore } from '../../store/delivery-store.js';
import type { WebhookLogger } from '../../core/logger.js';
import { OutboxHousekeeping } from './periodic-task.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';

/** Deliveries one DELETE removes at most, so pruning a backlog never holds long locks. */
export const PRUNE_BATCH_SIZE = 1_000;

/** What the pruner works on: one kind's outbox rows. */
export interface PrunerInput {
	kind: WebhookKindName;
	store: DeliveryStore;
	/** Option `deliveryRetentionMs`. */
	retentionMs: number;
	intervalMs: number;
	logger: WebhookLogger;
	label: string;
	now?: () => number;
}

/**
 * Deletes finished deliveries (delivered or failed) created longer ago than the retention, with their attempts by
 * cascade (default 14 days), in batches of `PRUNE_BATCH_SIZE`, at worker start and every
 * `intervalMs`. Pending deliveries are never pruned: the reconciler still owes them their attempts.
 */
export class Pruner extends OutboxHousekeeping<number> {
	private readonly now: () => number;

	constructor(private readonly input: PrunerInput) {
		super({ kind: input.kind, intervalMs: input.intervalMs, logger: input.logger, failure: `${input.label} pruning` });
		this.now = input.now ?? Date.now;
	}

	// A pass resolves with the number of deliveries deleted.
	protected async pass(): Promise<number> {
		const before = new Date(this.now() - this.input.retentionMs);
		let total = 0;
		while (!this.schedule.stopped) {
			const deleted = await this.input.store.pruneFinished(this.input.kind, before, PRUNE_BATCH_SIZE);
			total += deleted;
			if (deleted < PRUNE_BATCH_SIZE) break;
		}
		return total;
	}
}
