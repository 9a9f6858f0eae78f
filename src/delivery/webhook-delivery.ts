import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import type { NormalizedOptions } from '../config.js';
import type { WebhookDeliverJobData } from './job-data.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from './agents.js';
import { consoleDeliveryLogger, type DeliveryLogger } from './logger.js';
import { createWebhookDeliverQueue, WEBHOOK_BACKOFF } from './queue.js';
import { attemptsFor } from './retry-policy.js';
import { WebhookSender } from './sender.js';
import { WebhookStatusWriter, type WebhookStatusTable } from './status-writer.js';
import { TargetHostLimiter } from './target-host-limiter.js';
import { createWebhookDeliverProcessor } from './worker.js';

/** The fields every delivery copies from its webhook into the job: id, URL and secret (spec §9). */
export interface WebhookDeliveryTargetBase {
	id: string;
	url: string;
	secret: string;
}

/** Per-call overrides of `enqueue`: the test endpoints send one attempt, possibly to another URL or secret (spec §11). */
export interface EnqueueOverrides {
	attempts?: number;
	url?: string;
	secret?: string;
}

/** What a job is made of besides the webhook's own fields; the same for both kinds. */
export interface CommonJobFields<Type extends string> {
	type: Type;
	content: unknown;
	to: string;
	secret: string;
	createdAt: number;
	eventId: string;
}

/**
 * What differs between user and system webhook delivery (spec §8, §9): queue, status table, worker concurrency, the
 * log label, and the job data (a user job carries `userId`, a system job does not). Everything else is shared.
 */
export interface WebhookKind<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	/** How log lines name a webhook of this kind. */
	label: string;
	queueName: string;
	statusTable: WebhookStatusTable;
	/** Jobs processed at once per worker process. */
	concurrency(options: NormalizedOptions): number;
	/** Misskey's job data for one target, keys in Misskey's order. */
	jobData(target: Target, common: CommonJobFields<Data['type']>): Data;
}

// Misskey keeps finished jobs for the queue inspector: 7 days, at most 30 completed and 100 failed (spec §9).
const KEEP_FINISHED_SECONDS = 604_800;
const KEEP_COMPLETED_COUNT = 30;
const KEEP_FAILED_COUNT = 100;

/**
 * Webhook delivery of one kind for one process: `enqueue` puts jobs on the kind's queue (spec §9); `startWorker` makes
 * this process deliver them (spec §8). A process that only enqueues never starts the worker.
 */
export class WebhookDelivery<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	readonly queue: Bull.Queue<Data>;
	private readonly kind: WebhookKind<Target, Data>;
	private readonly options: NormalizedOptions;
	private readonly logger: DeliveryLogger;
	private readonly agents: DeliveryAgents;
	private readonly statusWriter: WebhookStatusWriter;
	private workerRunning = false;

	constructor(input: { kind: WebhookKind<Target, Data>; dataSource: DataSource; options: NormalizedOptions; logger?: DeliveryLogger }) {
		this.kind = input.kind;
		this.options = input.options;
		this.logger = input.logger ?? consoleDeliveryLogger;
		this.queue = createWebhookDeliverQueue<Data>(input.kind.queueName, input.options);
		// Without a listener an 'error' event (a lost Redis connection) would take the host process down.
		this.queue.on('error', (error: unknown) => this.logger.warn(`${this.kind.label} queue error: ${error instanceof Error ? error.message : String(error)}`));
		this.agents = createDeliveryAgents(input.options);
		this.statusWriter = new WebhookStatusWriter({ dataSource: input.dataSource, logger: this.logger, table: input.kind.statusTable });
	}

	/** Queues one job per target in one round trip; each job gets its own eventId and copies URL and secret now (spec §8.1, §9). */
	async enqueue(targets: ReadonlyArray<Target>, type: Data['type'], body: unknown, overrides: EnqueueOverrides = {}): Promise<void> {
		if (targets.length === 0) return;
		const createdAt = Date.now();
		const jobOptions: Bull.JobOptions = {
			attempts: overrides.attempts ?? attemptsFor(this.options),
			backoff: { type: WEBHOOK_BACKOFF },
			removeOnComplete: { age: KEEP_FINISHED_SECONDS, count: KEEP_COMPLETED_COUNT },
			removeOnFail: { age: KEEP_FINISHED_SECONDS, count: KEEP_FAILED_COUNT },
		};
		await this.queue.addBulk(targets.map((target) => ({
			name: target.id,
			data: this.kind.jobData(target, {
				type,
				content: body,
				to: overrides.url ?? target.url,
				secret: overrides.secret ?? target.secret,
				createdAt,
				eventId: randomUUID(),
			}),
			opts: jobOptions,
		})));
	}

	/** Starts delivering queued jobs in this process, the kind's concurrency at a time, every job name (= webhook id). */
	async startWorker(): Promise<void> {
		if (this.workerRunning) return;
		this.workerRunning = true;
		const processor = createWebhookDeliverProcessor<Data>({
			sender: new WebhookSender({ options: this.options, agents: this.agents }),
			limiter: new TargetHostLimiter(this.options.concurrencyPerTargetHost),
			statusWriter: this.statusWriter,
			logger: this.logger,
			label: this.kind.label,
		});
		// Bull's process() settles only when the queue closes; failures to start surface as the queue's errors.
		this.queue.process('*', this.kind.concurrency(this.options), processor).catch((error: unknown) => {
			this.logger.warn(`${this.kind.label} worker stopped: ${error instanceof Error ? error.message : String(error)}`);
		});
		await this.queue.isReady();
	}

	/** Lets running deliveries finish, writes their statuses, then closes the queue and the pooled connections. */
	async close(): Promise<void> {
		if (this.workerRunning) await this.queue.pause(true);
		await this.statusWriter.close();
		await this.queue.close();
		destroyDeliveryAgents(this.agents);
	}
}
