import type Bull from 'bull';
import type { EntityManager } from 'typeorm';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { AttemptRecorder } from './log/attempt-record.js';
import { DeliveryStore } from '../store/delivery-store.js';
import { AttemptStore } from '../store/attempt-store.js';
import type { WebhookDeliveryEntity } from '../store/webhook-delivery.entity.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from './sender/agents.js';
import { createWebhookDeliverQueue } from './queue/queue.js';
import { statusRecorderOf, WebhookStatusWriter } from './log/status-writer.js';
import type { FairnessSnapshot } from './queue/host-gate.js';
import { AttemptLog } from './log/attempt-log.js';
import { AttemptLogLines } from './log/attempt-log-lines.js';
import type { ReconcileReport } from './outbox/reconciler.js';
import { describeError } from '../core/database-error.js';
import type { WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
import { DeliveryEnqueuer, type EnqueueOverrides, type PreparedEvent } from './delivery-enqueuer.js';
import { DeliveryWorkers } from './delivery-workers.js';
import { DeliveryMaintenance } from './delivery-maintenance.js';
import { BackgroundWork } from './background-work.js';
import type { WebhookDeliveryInput } from './webhook-kind.js';

export type { CommonJobFields, WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
export type { EnqueueOverrides, PreparedEvent } from './delivery-enqueuer.js';
export type { EnqueuedDeliveries, WebhookDeliveryInput, WebhookKind } from './webhook-kind.js';

/**
 * Webhook delivery of one kind for one process, composed of what queues (`DeliveryEnqueuer`), what runs the workers
 * (`DeliveryWorkers`) and what keeps the outbox in step (`DeliveryMaintenance`), over one queue, one set of pooled
 * connections and one set of recorders. A process that only enqueues never starts the workers.
 */
export class DeliveryOfKind<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	readonly queue: Bull.Queue<Data>;
	/** The outbox (`webhook_delivery`) and attempt log (`webhook_delivery_attempt`), for the delivery API. */
	readonly deliveries: DeliveryStore;
	readonly attempts: AttemptStore;
	private readonly agents: DeliveryAgents;
	private readonly outbox: boolean;
	private readonly recorders: readonly AttemptRecorder[];
	private readonly background: BackgroundWork;
	private readonly enqueuer: DeliveryEnqueuer<Target, Data>;
	private readonly workers: DeliveryWorkers<Target, Data>;
	private readonly maintenance: DeliveryMaintenance<Target, Data>;
	private closed = false;

	constructor(input: WebhookDeliveryInput<Target, Data>) {
		const { kind, options } = input;
		const logger = input.logger ?? options.logger;
		this.outbox = input.outbox ?? true;
		this.queue = createWebhookDeliverQueue<Data>(kind.queueName, options);
		// Without a listener an 'error' event (a lost Redis connection) would take the host process down.
		this.queue.on('error', (error: unknown) => logger.warn({ kind: kind.name, error: describeError(error) }, `${kind.label} queue error`));
		this.agents = createDeliveryAgents(options);
		this.deliveries = new DeliveryStore(input.dataSource);
		this.attempts = new AttemptStore(input.dataSource);
		const statusWriter = new WebhookStatusWriter({ dataSource: input.dataSource, logger, table: kind.statusTable });
		this.recorders = [
			statusRecorderOf(statusWriter),
			...(this.outbox ? [new AttemptLog({ dataSource: input.dataSource, logger })] : []),
			new AttemptLogLines(logger),
			...(input.extraRecorders ?? []),
		];
		this.background = new BackgroundWork(logger, kind.name, kind.label);
		const inBackground = (work: Promise<void>): void => this.background.add(work);
		const shared = { kind, options, logger, queue: this.queue };
		this.enqueuer = new DeliveryEnqueuer({ ...shared, deliveries: this.deliveries, outbox: this.outbox, onEnqueued: input.onEnqueued, inBackground });
		this.maintenance = new DeliveryMaintenance({ ...shared, deliveries: this.deliveries, flushRecords: () => this.flushRecords() });
		this.workers = new DeliveryWorkers({
			...shared,
			agents: this.agents,
			recorders: this.recorders,
			currentSecrets: input.currentSecrets,
			onJobWithoutData: () => {
				if (this.outbox && !this.closed) this.maintenance.reconcileSoon();
			},
			inBackground,
		});
	}

	/** See `DeliveryEnqueuer.enqueue`: outbox rows in one INSERT, the jobs in one round trip at the same time. */
	async enqueue(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown, overrides: EnqueueOverrides = {}): Promise<void> {
		await this.enqueuer.enqueue(targets, type, body, overrides);
	}

	/** One test send to `target`, as `enqueue`; resolves to the job's data, so the caller can show what it sends. */
	async enqueueTest(target: Target, type: Data['type'], body: unknown, overrides: EnqueueOverrides): Promise<Data | undefined> {
		const [data] = await this.enqueuer.enqueue([target], type, body, overrides);
		return data;
	}

	/** See `DeliveryEnqueuer.prepare`: one event's rows and jobs for a caller that writes them in its own transaction. */
	prepare(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown): PreparedEvent<Data> {
		return this.enqueuer.prepare(targets, type, body);
	}

	/** Writes prepared events' outbox rows in one INSERT inside the caller's transaction. */
	writePrepared(events: ReadonlyArray<PreparedEvent<Data>>, transaction: Pick<EntityManager, 'query'>): Promise<void> {
		return this.enqueuer.writePrepared(events, transaction);
	}

	/** Queues the jobs of prepared events whose rows are committed; a queue that refuses them leaves them to the reconciler. */
	queuePrepared(events: ReadonlyArray<PreparedEvent<Data>>): Promise<void> {
		return this.enqueuer.queuePrepared(events);
	}

	/** One more attempt of a delivery, now, to the webhook as it is: same event id and body, trigger `manual`. */
	redeliver(row: WebhookDeliveryEntity, target: Target): Promise<void> {
		return this.enqueuer.redeliver(row, target);
	}

	/** Redelivers, in the background, `target`'s failed deliveries since `since`, at most `cap`; resolves with how many. */
	recoverFailed(target: Target, since: Date, cap: number): Promise<number> {
		return this.enqueuer.recoverFailed(target, since, cap);
	}

	/** Starts delivering queued jobs in this process, the kind's concurrency at a time; starts the reconciler and the pruner. */
	async startWorker(): Promise<void> {
		const started = await this.workers.start();
		if (started && this.outbox) this.maintenance.start();
	}

	/** How this worker process shares its slots between receivers (docs/fairness.md); empty before `startWorker`. */
	fairness(): FairnessSnapshot {
		return this.workers.fairness();
	}

	/** Re-queues pending deliveries whose job the queue lost, now (the worker also does it every `reconcileIntervalMs`). */
	reconcile(): Promise<ReconcileReport> {
		return this.maintenance.reconcile();
	}

	/** Deletes finished deliveries older than the retention, now; resolves with how many. */
	prune(): Promise<number> {
		return this.maintenance.prune();
	}

	/** Writes every attempt recorded so far (statuses, attempt log, ...). */
	async flushRecords(): Promise<void> {
		await Promise.all(this.recorders.map((recorder) => recorder.flush()));
	}

	/** Lets running deliveries finish, writes their records, then closes the queue and the pooled connections. */
	async close(): Promise<void> {
		this.closed = true;
		this.enqueuer.close();
		await this.maintenance.stop();
		await this.workers.stop();
		await this.background.settled();
		await Promise.all(this.recorders.map((recorder) => recorder.close()));
		await this.queue.close();
		destroyDeliveryAgents(this.agents);
	}
}
