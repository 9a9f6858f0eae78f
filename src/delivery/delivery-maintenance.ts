import type Bull from 'bull';
import type { NormalizedOptions } from '../config/options.js';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { WebhookDeliveryEntity } from '../store/webhook-delivery.entity.js';
import type { WebhookLogger } from '../core/logger.js';
import { Reconciler, type ReconcileReport } from './outbox/reconciler.js';
import { Pruner } from './outbox/pruner.js';
import { describeError } from '../core/database-error.js';
import { deliveryJobOptions, jobDataOfRow, rowTarget, type DeliveryJob, type WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
import type { DeliveryPartInput, WebhookKind } from './webhook-kind.js';

/** What the outbox upkeep of one kind works with; the delivery that composes it owns the queue and the store. */
export interface DeliveryMaintenanceInput<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> extends DeliveryPartInput<Target, Data> {
	deliveries: DeliveryStore;
	/** Writes every attempt recorded so far in this process, before the reconciler re-reads the rows it suspects. */
	flushRecords(): Promise<void>;
}

/** What keeps the outbox of one kind in step with its queue: re-queues the jobs Redis lost, deletes old finished rows. */
export class DeliveryMaintenance<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	private readonly kind: WebhookKind<Target, Data>;
	private readonly options: NormalizedOptions;
	private readonly logger: WebhookLogger;
	private readonly reconciler: Reconciler;
	private readonly pruner: Pruner;
	private stopped = false;

	constructor(input: DeliveryMaintenanceInput<Target, Data>) {
		this.kind = input.kind;
		this.options = input.options;
		this.logger = input.logger;
		const label = this.kind.label;
		this.reconciler = new Reconciler({
			kind: this.kind.name,
			queue: input.queue as Bull.Queue,
			queuePrefix: this.options.queuePrefix,
			store: input.deliveries,
			jobOf: (row) => this.resumedJob(row),
			intervalMs: this.options.reconcileIntervalMs,
			settleMs: this.options.reconcileSettleMs,
			flushRecords: input.flushRecords,
			batchSize: this.options.reconcileBatchSize,
			logger: this.logger,
			label,
		});
		this.pruner = new Pruner({ kind: this.kind.name, store: input.deliveries, retentionMs: this.options.deliveryRetentionMs, intervalMs: this.options.pruneIntervalMs, logger: this.logger, label });
	}

	/** Reconciles every `reconcileIntervalMs` and prunes every `pruneIntervalMs` from now on. */
	start(): void {
		this.reconciler.start();
		this.pruner.start();
	}

	/** Re-queues pending deliveries whose job the queue lost, now. */
	reconcile(): Promise<ReconcileReport> {
		return this.reconciler.run();
	}

	// A data-less job means Redis lost jobs just now: more of them are likely pending, so look at once, once.
	reconcileSoon(): void {
		if (this.stopped) return;
		this.reconciler.run().catch((error: unknown) => this.logger.warn({ kind: this.kind.name, error: describeError(error) }, `${this.kind.label} reconciler failed, will try again`));
	}

	/** Deletes finished deliveries older than the retention, now; resolves with how many. */
	prune(): Promise<number> {
		return this.pruner.run();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		await Promise.all([this.reconciler.stop(), this.pruner.stop()]);
	}

	/** The job that carries on a pending delivery the queue lost: its remaining attempts, after its remaining delay. */
	private resumedJob(row: WebhookDeliveryEntity): DeliveryJob<Data> {
		// A row holds exactly the fields the kind's job data reads from a webhook (id, userId, url, secret).
		const target = rowTarget(row) as unknown as Target;
		const data = jobDataOfRow(row, target, this.kind.jobData, this.options.defaultRetryPolicy, { attemptsBefore: row.attempts });
		const delayMs = Math.max(0, (row.nextAttemptAt?.getTime() ?? 0) - Date.now());
		return { name: row.webhookId, data, opts: deliveryJobOptions(Math.max(1, row.maxAttempts - row.attempts), row.id, delayMs) };
	}
}
