import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { DataSource, EntityManager } from 'typeorm';
import type { NormalizedOptions } from '../config/options.js';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { AttemptRecorder } from './log/attempt-record.js';
import { DeliveryStore, type NewDelivery, type NewDeliveryEvent } from '../store/delivery-store.js';
import { AttemptStore } from '../store/attempt-store.js';
import type { WebhookDeliveryEntity } from '../store/webhook-delivery.entity.js';
import { generateId } from '../store/id.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from './sender/agents.js';
import type { WebhookLogger } from '../core/logger.js';
import { createWebhookDeliverQueue } from './queue/queue.js';
import { WebhookSender } from './sender/sender.js';
import { statusRecorderOf, WebhookStatusWriter, type WebhookStatusTable } from './log/status-writer.js';
import { HostGate, type FairnessSnapshot } from './queue/host-gate.js';
import { releaseHostLine } from './queue/deferral.js';
import { createWebhookDeliverProcessor } from './queue/worker.js';
import { LastTakenWriter } from './queue/last-taken.js';
import { AttemptLog } from './log/attempt-log.js';
import { AttemptLogLines } from './log/attempt-log-lines.js';
import { jobFormatOf } from './job/job-format.js';
import { Reconciler, type ReconcileReport } from './outbox/reconciler.js';
import { Pruner } from './outbox/pruner.js';
import { OutboxWriter, type OutboxWriteResult } from './outbox/outbox-writer.js';
import { describeError } from '../core/database-error.js';
import type { CurrentSecretsLookup } from './job/current-secrets.js';
import {
	attemptsForTarget,
	deliveryJobOptions,
	jobDataOfRow,
	outboxRowOf,
	rowTarget,
	type CommonJobFields,
	type DeliveryJob,
	type WebhookDeliveryTargetBase,
} from './queue/delivery-jobs.js';
import type { WebhookKindName } from '../core/webhook-kind.js';

export type { CommonJobFields, WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';

/** One event's outbox rows and jobs, built by `prepare`. */
export interface PreparedEvent<Data> {
	event: NewDeliveryEvent;
	rows: readonly NewDelivery[];
	jobs: ReadonlyArray<DeliveryJob<Data>>;
}

/** Per-call overrides of `enqueue`: the test endpoints send one attempt, possibly to another URL or secret. */
export interface EnqueueOverrides {
	attempts?: number;
	url?: string;
	secret?: string;
}

/**
 * What differs between user and system webhook delivery: queue, status table, worker concurrency, the
 * log label, and the job data (a user job carries `userId`, a system job does not). Everything else is shared.
 */
export interface WebhookKind<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	/** Which table the webhooks live in, as outbox rows and attempt records name it. */
	name: WebhookKindName;
	/** How log lines name a webhook of this kind. */
	label: string;
	queueName: string;
	statusTable: WebhookStatusTable;
	/** Jobs processed at once per worker process. */
	concurrency(options: NormalizedOptions): number;
	/** Misskey's job data for one target, keys in Misskey's order. */
	jobData(target: Target, common: CommonJobFields<Data['type']>): Data;
}

/** What a delivery of one kind is built from. */
export interface WebhookDeliveryInput<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	kind: WebhookKind<Target, Data>;
	dataSource: DataSource;
	options: NormalizedOptions;
	logger?: WebhookLogger;
	/** Told of every enqueue (metrics); it observes and decides nothing. */
	onEnqueued?: (enqueued: EnqueuedDeliveries) => void;
	/** Recorders beside the status writer and the attempt log (auto-disable); closed with the delivery. */
	extraRecorders?: readonly AttemptRecorder[];
	/** false: no outbox rows, attempt log, reconciler or pruner, as Misskey (the benchmark's comparison). Default true. */
	outbox?: boolean;
	/** The webhooks' secrets at each attempt (the registry); absent: jobs sign with the secrets they copied. */
	currentSecrets?: CurrentSecretsLookup;
}

/**
 * One call of `enqueue` as an observer sees it: the kind, the event type, each job's payload format, and where the jobs
 * went: `queued` (outbox row and job), `outbox_only` (the queue was away; the reconciler queues them later),
 * `queue_only` (PostgreSQL was away, or the outbox is off).
 */
export interface EnqueuedDeliveries {
	kind: WebhookKindName;
	type: string;
	formats: readonly string[];
	path: 'queued' | 'outbox_only' | 'queue_only';
}

// Failed deliveries one redelivery round trip reads and queues when recovering.
const RECOVER_CHUNK_SIZE = 500;

/**
 * Webhook delivery of one kind for one process: `enqueue` writes the outbox rows of an event in one INSERT, then queues
 * their jobs in one round trip; `startWorker` makes this process deliver them,
 * log every attempt, refill the queue from the outbox and prune old rows. A process that only enqueues never starts it.
 */
export class WebhookDelivery<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	readonly queue: Bull.Queue<Data>;
	/** The outbox (`webhook_delivery`) and attempt log (`webhook_delivery_attempt`), for the delivery API. */
	readonly deliveries: DeliveryStore;
	readonly attempts: AttemptStore;
	private readonly kind: WebhookKind<Target, Data>;
	private readonly options: NormalizedOptions;
	private readonly logger: WebhookLogger;
	private readonly onEnqueued: ((enqueued: EnqueuedDeliveries) => void) | undefined;
	private readonly agents: DeliveryAgents;
	private readonly outbox: boolean;
	private readonly currentSecrets: CurrentSecretsLookup | undefined;
	private readonly recorders: readonly AttemptRecorder[];
	private readonly reconciler: Reconciler;
	private readonly pruner: Pruner;
	private readonly outboxWriter: OutboxWriter<DeliveryJob<Data>>;
	private readonly backgroundWork = new Set<Promise<void>>();
	private gate: HostGate | null = null;
	private lastTaken: LastTakenWriter | null = null;
	private workerRunning = false;
	private closed = false;

	constructor(input: WebhookDeliveryInput<Target, Data>) {
		this.kind = input.kind;
		this.options = input.options;
		this.logger = input.logger ?? input.options.logger;
		this.onEnqueued = input.onEnqueued;
		this.outbox = input.outbox ?? true;
		this.currentSecrets = input.currentSecrets;
		this.queue = createWebhookDeliverQueue<Data>(input.kind.queueName, input.options);
		// Without a listener an 'error' event (a lost Redis connection) would take the host process down.
		this.queue.on('error', (error: unknown) => this.logger.warn({ kind: this.kind.name, error: describeError(error) }, `${this.kind.label} queue error`));
		this.agents = createDeliveryAgents(input.options);
		this.deliveries = new DeliveryStore(input.dataSource);
		this.attempts = new AttemptStore(input.dataSource);
		this.outboxWriter = new OutboxWriter({ store: this.deliveries, queueJobs: (jobs) => this.queue.addBulk(jobs) });
		const statusWriter = new WebhookStatusWriter({ dataSource: input.dataSource, logger: this.logger, table: input.kind.statusTable });
		this.recorders = [
			statusRecorderOf(statusWriter),
			...(this.outbox ? [new AttemptLog({ dataSource: input.dataSource, logger: this.logger })] : []),
			new AttemptLogLines(this.logger),
			...(input.extraRecorders ?? []),
		];
		const label = this.kind.label;
		this.reconciler = new Reconciler({
			kind: this.kind.name,
			queue: this.queue as Bull.Queue,
			queuePrefix: this.options.queuePrefix,
			store: this.deliveries,
			jobOf: (row) => this.resumedJob(row),
			intervalMs: this.options.reconcileIntervalMs,
			settleMs: this.options.reconcileSettleMs,
			batchSize: this.options.reconcileBatchSize,
			logger: this.logger,
			label,
		});
		this.pruner = new Pruner({ kind: this.kind.name, store: this.deliveries, retentionMs: this.options.deliveryRetentionMs, intervalMs: this.options.pruneIntervalMs, logger: this.logger, label });
	}

	/**
	 * Delivers one event to `targets`: each gets its own event id, and copies URL, secret and options now.
	 * The outbox rows go first, in one INSERT; then the jobs, in one round trip, each under its row's id; events raised
	 * at the same moment share both. When the queue cannot take the jobs, the rows stay pending and the reconciler
	 * queues them later: nothing is thrown. When PostgreSQL cannot take the rows, the jobs are queued without them
	 * (delivered, not logged) rather than lost.
	 */
	async enqueue(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown, overrides: EnqueueOverrides = {}): Promise<void> {
		if (targets.length === 0) return;
		// A caller's bug, not an outage: this process has let go of its queue and its workers.
		if (this.closed) throw new Error(`${this.kind.label} delivery is closed`);
		const createdAt = Date.now();
		const jobs = targets.map((target) => this.newJob(target, type, body, createdAt, overrides));
		if (!this.outbox) {
			await this.queue.addBulk(jobs.map(withoutOutboxRow));
			this.observeEnqueue(type, jobs, 'queue_only');
			return;
		}
		const result = await this.writeOutbox(jobs, type, body, createdAt);
		if (result.kind === 'waiting') {
			this.logger.warn({ kind: this.kind.name, type, deliveries: jobs.length, error: describeError(result.error) }, `${this.kind.label} queue unavailable; deliveries wait in the outbox for the reconciler`);
			this.observeEnqueue(type, jobs, 'outbox_only');
		} else if (result.kind === 'unwritten') {
			this.logger.warn({ kind: this.kind.name, type, deliveries: jobs.length, error: describeError(result.error) }, `${this.kind.label} outbox unavailable; deliveries queued without a log`);
			await this.queue.addBulk(jobs.map(withoutOutboxRow));
			this.observeEnqueue(type, jobs, 'queue_only');
		} else {
			this.observeEnqueue(type, jobs, 'queued');
		}
	}

	/**
	 * One event's deliveries built for the outbox but not written: for a caller that writes the rows in its own
	 * transaction (`writePrepared`) and queues the jobs after it commits (`queuePrepared`), as the intake relay does.
	 */
	prepare(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown): PreparedEvent<Data> {
		const createdAt = Date.now();
		const jobs = targets.map((target) => this.newJob(target, type, body, createdAt, {}));
		return {
			event: { kind: this.kind.name, queuePrefix: this.options.queuePrefix, type, bodyText: JSON.stringify(body) ?? 'null', createdAt: new Date(createdAt) },
			rows: jobs.map((job) => outboxRowOf(job.data, job.data.deliveryId ?? '', job.opts.attempts ?? 1)),
			jobs,
		};
	}

	/** Writes prepared events' outbox rows in one INSERT inside the caller's transaction. */
	async writePrepared(events: ReadonlyArray<PreparedEvent<Data>>, transaction: Pick<EntityManager, 'query'>): Promise<void> {
		if (events.length > 0) await this.deliveries.insertEvents(events, transaction);
	}

	/** Queues the jobs of prepared events whose rows are committed; a queue that refuses them leaves them to the reconciler. */
	async queuePrepared(events: ReadonlyArray<PreparedEvent<Data>>): Promise<void> {
		const jobs = events.flatMap((event) => event.jobs);
		if (jobs.length === 0) return;
		let path: EnqueuedDeliveries['path'] = 'queued';
		try {
			await this.queue.addBulk(jobs);
		} catch (error) {
			this.logger.warn({ kind: this.kind.name, deliveries: jobs.length, error: describeError(error) }, `${this.kind.label} queue unavailable; deliveries wait in the outbox for the reconciler`);
			path = 'outbox_only';
		}
		for (const event of events) this.observeEnqueue(event.event.type, event.jobs, path);
	}

	/** One more attempt of a delivery, now, to the webhook as it is: same event id and body, trigger `manual`. */
	async redeliver(row: WebhookDeliveryEntity, target: Target): Promise<void> {
		await this.queue.addBulk([this.manualJob(row, target)]);
	}

	/**
	 * Redelivers, in the background, every failed delivery of `target` created since `since`, oldest first, at most `cap`;
	 * resolves at once with how many will be sent.
	 */
	async recoverFailed(target: Target, since: Date, cap: number): Promise<number> {
		const ids = await this.deliveries.failedIdsSince(this.kind.name, target.id, since, cap);
		if (ids.length > 0) this.inBackground(this.redeliverAll(ids, target));
		return ids.length;
	}

	/** Starts delivering queued jobs in this process, the kind's concurrency at a time; starts the reconciler and the pruner. */
	async startWorker(): Promise<void> {
		if (this.workerRunning) return;
		this.workerRunning = true;
		const concurrency = this.kind.concurrency(this.options);
		const gate = new HostGate({
			...this.options,
			// The option is a share of workerConcurrency; a queue with fewer slots (system webhooks: 16) gets the same share.
			unansweredHostsConcurrency: Math.max(1, Math.min(concurrency, Math.ceil((concurrency * this.options.unansweredHostsConcurrency) / this.options.workerConcurrency))),
			// A quarter of the slots may wait a few ms for a fast receiver's next free slot rather than go round the delayed set.
			waitingSlots: Math.floor(concurrency / 4),
			logger: this.logger,
			label: this.kind.label,
			// A receiver that (again) answers gets the deliveries set aside for it now, not at their far-off due times.
			onHostAnswering: (host, jobIds) => this.inBackground(releaseHostLine(this.queue as Bull.Queue, host, jobIds)),
		});
		this.gate = gate;
		const processor = createWebhookDeliverProcessor<Data>({
			sender: new WebhookSender({ options: this.options, agents: this.agents, ...(this.currentSecrets ? { currentSecrets: this.currentSecrets } : {}) }),
			gate,
			recorders: this.recorders,
			logger: this.logger,
			kind: this.kind.name,
			options: this.options,
			label: this.kind.label,
			onJobWithoutData: () => this.reconcileSoon(),
		});
		// Every process can then tell whether some worker serves this queue (health, metrics, the unattended warning).
		const lastTaken = new LastTakenWriter(this.queue as Bull.Queue);
		this.lastTaken = lastTaken;
		this.queue.on('active', () => lastTaken.taken());
		// Bull's process() settles only when the queue closes; failures to start surface as the queue's errors.
		this.queue.process('*', concurrency, processor).catch((error: unknown) => {
			this.logger.error({ kind: this.kind.name, error: describeError(error) }, `${this.kind.label} worker stopped`);
		});
		await this.queue.isReady();
		if (this.outbox) {
			this.reconciler.start();
			this.pruner.start();
		}
	}

	/**
	 * How this worker process shares its slots between receivers (docs/fairness.md): requests in flight, deferrals by
	 * reason, and each known target host's circuit. Per process; empty before `startWorker`.
	 */
	fairness(): FairnessSnapshot {
		return this.gate?.snapshot() ?? { inFlight: 0, unansweredInFlight: 0, waiting: 0, deferrals: { 'circuit-open': 0, 'probe-in-flight': 0, 'host-busy': 0, 'unanswered-hosts-busy': 0, 'in-line': 0 }, circuitsOpened: 0, circuitsClosed: 0, hosts: [] };
	}

	/** Re-queues pending deliveries whose job the queue lost, now (the worker also does it every `reconcileIntervalMs`). */
	reconcile(): Promise<ReconcileReport> {
		return this.reconciler.run();
	}

	// A data-less job means Redis lost jobs just now: more of them are likely pending, so look at once, once.
	private reconcileSoon(): void {
		if (!this.outbox || this.closed) return;
		this.reconciler.run().catch((error: unknown) => this.logger.warn({ kind: this.kind.name, error: describeError(error) }, `${this.kind.label} reconciler failed, will try again`));
	}

	/** Deletes finished deliveries older than the retention, now; resolves with how many. */
	prune(): Promise<number> {
		return this.pruner.run();
	}

	/** Writes every attempt recorded so far (statuses, attempt log, ...). */
	async flushRecords(): Promise<void> {
		await Promise.all(this.recorders.map((recorder) => recorder.flush()));
	}

	/** Lets running deliveries finish, writes their records, then closes the queue and the pooled connections. */
	async close(): Promise<void> {
		this.closed = true;
		await Promise.all([this.reconciler.stop(), this.pruner.stop()]);
		this.lastTaken?.stop();
		if (this.workerRunning) await this.queue.pause(true);
		await Promise.all([...this.backgroundWork]);
		await Promise.all(this.recorders.map((recorder) => recorder.close()));
		await this.queue.close();
		destroyDeliveryAgents(this.agents);
	}

	private newJob(target: Target, type: Data['type'], body: unknown, createdAt: number, overrides: EnqueueOverrides): DeliveryJob<Data> {
		const deliveryId = generateId(createdAt);
		const common = { type, content: body, to: overrides.url ?? target.url, secret: overrides.secret ?? target.secret, createdAt, eventId: randomUUID() };
		// The kind copies the webhook's options (deliveryExtrasOf); a webhook naming no preset gets the default one.
		// Added to the kind's fresh object rather than spread into a new one: this runs once per delivery, and a leading
		// spread costs more (docs/performance.md).
		const data = this.kind.jobData(target, common);
		data.deliveryId = deliveryId;
		data.retryPolicy = target.retryPolicy ?? this.options.defaultRetryPolicy;
		return { name: target.id, data, opts: deliveryJobOptions(overrides.attempts ?? attemptsForTarget(target, this.options), deliveryId) };
	}

	/** Writes the event's outbox rows, then queues its jobs (with the other events of the moment). */
	private writeOutbox(jobs: ReadonlyArray<DeliveryJob<Data>>, type: string, body: unknown, createdAt: number): Promise<OutboxWriteResult> {
		// Serialized once for every row; the worker rebuilds the same envelope bytes around it on every attempt.
		const bodyText = JSON.stringify(body) ?? 'null';
		return this.outboxWriter.write(
			{ kind: this.kind.name, queuePrefix: this.options.queuePrefix, type, bodyText, createdAt: new Date(createdAt) },
			jobs.map((job) => outboxRowOf(job.data, job.data.deliveryId ?? '', job.opts.attempts ?? 1)),
			jobs,
		);
	}

	/** The job that carries on a pending delivery the queue lost: its remaining attempts, after its remaining delay. */
	private resumedJob(row: WebhookDeliveryEntity): DeliveryJob<Data> {
		// A row holds exactly the fields the kind's job data reads from a webhook (id, userId, url, secret).
		const target = rowTarget(row) as unknown as Target;
		const data = jobDataOfRow(row, target, this.kind.jobData, this.options.defaultRetryPolicy, { attemptsBefore: row.attempts });
		const delayMs = Math.max(0, (row.nextAttemptAt?.getTime() ?? 0) - Date.now());
		return { name: row.webhookId, data, opts: deliveryJobOptions(Math.max(1, row.maxAttempts - row.attempts), row.id, delayMs) };
	}

	private manualJob(row: WebhookDeliveryEntity, target: Target): DeliveryJob<Data> {
		const data = jobDataOfRow(row, target, this.kind.jobData, this.options.defaultRetryPolicy, { attemptsBefore: row.attempts, trigger: 'manual' });
		return { name: target.id, data, opts: deliveryJobOptions(1) };
	}

	private async redeliverAll(ids: readonly string[], target: Target): Promise<void> {
		for (let start = 0; start < ids.length; start += RECOVER_CHUNK_SIZE) {
			const rows = await this.deliveries.findByIds(ids.slice(start, start + RECOVER_CHUNK_SIZE));
			await this.queue.addBulk(rows.map((row) => this.manualJob(row, target)));
		}
	}

	private observeEnqueue(type: string, jobs: ReadonlyArray<DeliveryJob<Data>>, path: EnqueuedDeliveries['path']): void {
		if (!this.onEnqueued) return;
		const formats = jobs.map((job) => jobFormatOf(job.data));
		try {
			this.onEnqueued({ kind: this.kind.name, type, formats, path });
		} catch (error) {
			this.logger.error({ kind: this.kind.name, error: describeError(error) }, 'enqueue observer failed');
		}
	}

	private inBackground(work: Promise<void>): void {
		const tracked = work
			.catch((error: unknown) => this.logger.warn({ kind: this.kind.name, error: describeError(error) }, `${this.kind.label} recovery stopped`))
			.finally(() => this.backgroundWork.delete(tracked));
		this.backgroundWork.add(tracked);
	}
}

/** A job queued without its outbox row (PostgreSQL was away): no row id to carry, none to name the job. */
function withoutOutboxRow<Data extends WebhookDeliverJobData>(job: DeliveryJob<Data>): DeliveryJob<Data> {
	const { deliveryId: _deliveryId, ...data } = job.data;
	const { jobId: _jobId, ...opts } = job.opts;
	return { name: job.name, data: data as Data, opts };
}
