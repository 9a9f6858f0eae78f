import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { EntityManager } from 'typeorm';
import type { NormalizedOptions } from '../config/options.js';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { DeliveryStore, NewDelivery, NewDeliveryEvent } from '../store/delivery-store.js';
import type { WebhookDeliveryEntity } from '../store/webhook-delivery.entity.js';
import { generateId } from '../store/id.js';
import type { WebhookLogger } from '../core/logger.js';
import { jobFormatOf } from './job/job-format.js';
import { OutboxWriter, type OutboxWriteResult } from './outbox/outbox-writer.js';
import { describeError } from '../core/database-error.js';
import { addDeliveryJobs, attemptsForTarget, removeWaitingJobs, deliveryJobOptions, jobDataOfRow, outboxRowOf, type DeliveryJob, type WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
import type { DeliveryPartInput, EnqueuedDeliveries, WebhookKind } from './webhook-kind.js';

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

/** What the enqueuer of one kind works with; the delivery that composes it owns the queue and the store. */
export interface DeliveryEnqueuerInput<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> extends DeliveryPartInput<Target, Data> {
	deliveries: DeliveryStore;
	outbox: boolean;
	onEnqueued: ((enqueued: EnqueuedDeliveries) => void) | undefined;
	/** Runs a redelivery of many rows after the call that asked for it has answered. */
	inBackground: (work: Promise<void>) => void;
}

// Failed deliveries one redelivery round trip reads and queues when recovering.
const RECOVER_CHUNK_SIZE = 500;

/**
 * What puts deliveries of one kind in line: new events (outbox rows, then jobs), prepared events written in a caller's
 * transaction, and manual redeliveries. It never sends; workers take what it queues.
 */
export class DeliveryEnqueuer<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	private readonly kind: WebhookKind<Target, Data>;
	private readonly options: NormalizedOptions;
	private readonly logger: WebhookLogger;
	private readonly queue: Bull.Queue<Data>;
	private readonly deliveries: DeliveryStore;
	private readonly outbox: boolean;
	private readonly onEnqueued: ((enqueued: EnqueuedDeliveries) => void) | undefined;
	private readonly inBackground: (work: Promise<void>) => void;
	private readonly outboxWriter: OutboxWriter<DeliveryJob<Data>>;
	private closed = false;

	constructor(input: DeliveryEnqueuerInput<Target, Data>) {
		this.kind = input.kind;
		this.options = input.options;
		this.logger = input.logger;
		this.queue = input.queue;
		this.deliveries = input.deliveries;
		this.outbox = input.outbox;
		this.onEnqueued = input.onEnqueued;
		this.inBackground = input.inBackground;
		this.outboxWriter = new OutboxWriter({
			store: this.deliveries,
			queueJobs: (jobs) => addDeliveryJobs(this.queue, jobs),
			unqueueJobs: (jobs) => removeWaitingJobs(this.queue, jobs),
		});
	}

	/** From now on `enqueue` refuses: the delivery is letting go of its queue. */
	close(): void {
		this.closed = true;
	}

	/**
	 * Delivers one event to `targets`: each gets its own event id, and copies URL, secret and options now.
	 * The outbox rows go in one INSERT, the jobs in one round trip at the same time, each under its row's id; events
	 * raised at the same moment share both. Resolves once the rows are committed. When the queue cannot take the jobs,
	 * the rows stay pending and the reconciler queues them later: nothing is thrown. When PostgreSQL cannot take the
	 * rows, the jobs go out without them (delivered, not logged) rather than being lost; only when neither takes the
	 * event does it reject. Resolves to the jobs' data (a test send shows what it sent).
	 */
	async enqueue(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown, overrides: EnqueueOverrides = {}): Promise<Data[]> {
		if (targets.length === 0) return [];
		// A caller's bug, not an outage: this process has let go of its queue and its workers.
		if (this.closed) throw new Error(`${this.kind.label} delivery is closed`);
		const createdAt = Date.now();
		const jobs = targets.map((target) => this.newJob(target, type, body, createdAt, overrides));
		if (!this.outbox) {
			await addDeliveryJobs(this.queue, jobs.map(withoutOutboxRow));
			this.observeEnqueue(type, jobs, 'queue_only');
			return jobs.map((job) => job.data);
		}
		const result = await this.writeOutbox(jobs, type, body, createdAt);
		if (result.kind === 'waiting') {
			this.logger.warn({ kind: this.kind.name, type, deliveries: jobs.length, error: describeError(result.error) }, `${this.kind.label} queue unavailable; deliveries wait in the outbox for the reconciler`);
			this.observeEnqueue(type, jobs, 'outbox_only');
		} else if (result.kind === 'unwritten') {
			this.logger.warn({ kind: this.kind.name, type, deliveries: jobs.length, error: describeError(result.error) }, `${this.kind.label} outbox unavailable; deliveries queued without a log`);
			this.observeEnqueue(type, jobs, 'queue_only');
		} else {
			this.observeEnqueue(type, jobs, 'queued');
		}
		return jobs.map((job) => job.data);
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
			await addDeliveryJobs(this.queue, jobs);
		} catch (error) {
			this.logger.warn({ kind: this.kind.name, deliveries: jobs.length, error: describeError(error) }, `${this.kind.label} queue unavailable; deliveries wait in the outbox for the reconciler`);
			path = 'outbox_only';
		}
		for (const event of events) this.observeEnqueue(event.event.type, event.jobs, path);
	}

	/** One more attempt of a delivery, now, to the webhook as it is: same event id and body, trigger `manual`. */
	async redeliver(row: WebhookDeliveryEntity, target: Target): Promise<void> {
		await addDeliveryJobs(this.queue, [this.manualJob(row, target)]);
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

	/** Writes the event's outbox rows and queues its jobs (with the other events of the moment). */
	private writeOutbox(jobs: ReadonlyArray<DeliveryJob<Data>>, type: string, body: unknown, createdAt: number): Promise<OutboxWriteResult> {
		// Serialized once for every row; the worker rebuilds the same envelope bytes around it on every attempt.
		const bodyText = JSON.stringify(body) ?? 'null';
		return this.outboxWriter.write(
			{ kind: this.kind.name, queuePrefix: this.options.queuePrefix, type, bodyText, createdAt: new Date(createdAt) },
			jobs.map((job) => outboxRowOf(job.data, job.data.deliveryId ?? '', job.opts.attempts ?? 1)),
			jobs,
		);
	}

	private manualJob(row: WebhookDeliveryEntity, target: Target): DeliveryJob<Data> {
		const data = jobDataOfRow(row, target, this.kind.jobData, this.options.defaultRetryPolicy, { attemptsBefore: row.attempts, trigger: 'manual' });
		return { name: target.id, data, opts: deliveryJobOptions(1) };
	}

	private async redeliverAll(ids: readonly string[], target: Target): Promise<void> {
		for (let start = 0; start < ids.length; start += RECOVER_CHUNK_SIZE) {
			const rows = await this.deliveries.findByIds(ids.slice(start, start + RECOVER_CHUNK_SIZE));
			await addDeliveryJobs(this.queue, rows.map((row) => this.manualJob(row, target)));
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
}

/** A job queued without its outbox row (PostgreSQL was away): no row id to carry, none to name the job. */
function withoutOutboxRow<Data extends WebhookDeliverJobData>(job: DeliveryJob<Data>): DeliveryJob<Data> {
	const { deliveryId: _deliveryId, ...data } = job.data;
	const { jobId: _jobId, ...opts } = job.opts;
	return { name: job.name, data: data as Data, opts };
}
