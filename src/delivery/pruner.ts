import type { DeliveryStore } from '../store/delivery-store.js';
import type { WebhookKindName } from './attempt-record.js';
import type { DeliveryLogger } from './logger.js';
import { describeError } from './database-error.js';

/** Deliveries one DELETE removes at most, so pruning a backlog never holds long locks. */
export const PRUNE_BATCH_SIZE = 1_000;

/** What the pruner works on: one kind's outbox rows. */
export interface PrunerInput {
	kind: WebhookKindName;
	store: DeliveryStore;
	/** Option `deliveryRetentionMs`. */
	retentionMs: number;
	intervalMs: number;
	logger: DeliveryLogger;
	label: string;
	now?: () => number;
}

/**
 * Deletes finished deliveries (delivered or failed) created longer ago than the retention, with their attempts by
 * cascade (issue 4 point 3: default 14 days), in batches of `PRUNE_BATCH_SIZE`, at worker start and every
 * `intervalMs`. Pending deliveries are never pruned: the reconciler still owes them their attempts.
 */
export class Pruner {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<number> | null = null;
	private stopped = false;
	private readonly now: () => number;

	constructor(private readonly input: PrunerInput) {
		this.now = input.now ?? Date.now;
	}

	/** Prunes now, then every `intervalMs`, in the background. */
	start(): void {
		this.stopped = false;
		void this.runLogged();
		this.timer = setInterval(() => void this.runLogged(), this.input.intervalMs);
		this.timer.unref();
	}

	/** Stops the schedule and waits for a running prune to end. */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running?.catch(() => undefined);
	}

	/** One pass; resolves with the number of deliveries deleted (joins the running pass, if any). */
	run(): Promise<number> {
		this.running ??= this.prune().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async runLogged(): Promise<void> {
		try {
			await this.run();
		} catch (error) {
			this.input.logger.warn(`${this.input.label} pruning failed, will try again: ${describeError(error)}`);
		}
	}

	private async prune(): Promise<number> {
		const before = new Date(this.now() - this.input.retentionMs);
		let total = 0;
		while (!this.stopped) {
			const deleted = await this.input.store.pruneFinished(this.input.kind, before, PRUNE_BATCH_SIZE);
			total += deleted;
			if (deleted < PRUNE_BATCH_SIZE) break;
		}
		return total;
	}
}
