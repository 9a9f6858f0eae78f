import type { DeliveryStore } from '../../store/delivery-store.js';
import type { WebhookLogger } from '../../core/logger.js';
import { describeError } from '../../core/database-error.js';
import { PeriodicTask } from './periodic-task.js';
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
export class Pruner {
	private readonly schedule: PeriodicTask<number>;
	private readonly now: () => number;

	constructor(private readonly input: PrunerInput) {
		this.now = input.now ?? Date.now;
		this.schedule = new PeriodicTask({
			intervalMs: input.intervalMs,
			pass: () => this.prune(),
			onError: (error) => input.logger.warn({ kind: input.kind, error: describeError(error) }, `${input.label} pruning failed, will try again`),
		});
	}

	/** Prunes now, then every `intervalMs`, in the background. */
	start(): void {
		this.schedule.start();
	}

	/** Stops the schedule and waits for a running prune to end. */
	stop(): Promise<void> {
		return this.schedule.stop();
	}

	/** One pass; resolves with the number of deliveries deleted (joins the running pass, if any). */
	run(): Promise<number> {
		return this.schedule.run();
	}

	private async prune(): Promise<number> {
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
