import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import type { NormalizedOptions } from '../config.js';
import type { UserWebhookEventType } from '../events/catalogue.js';
import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhookDeliverJobData } from './job-data.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from './agents.js';
import { consoleDeliveryLogger, type DeliveryLogger } from './logger.js';
import { createUserWebhookDeliverQueue, USER_WEBHOOK_BACKOFF } from './queue.js';
import { attemptsFor } from './retry-policy.js';
import { WebhookSender } from './sender.js';
import { WebhookStatusWriter } from './status-writer.js';
import { TargetHostLimiter } from './target-host-limiter.js';
import { createUserWebhookDeliverProcessor } from './worker.js';

/** The webhook fields a delivery copies into its job. */
export type DeliveryTarget = Pick<WebhookEntity, 'id' | 'userId' | 'url' | 'secret'>;

/** Per-call overrides of `enqueue`: the test endpoint sends one attempt, possibly to another URL or secret (spec §11). */
export interface EnqueueOverrides {
	attempts?: number;
	url?: string;
	secret?: string;
}

// Misskey keeps finished jobs for the queue inspector: 7 days, at most 30 completed and 100 failed (spec §9).
const KEEP_FINISHED_SECONDS = 604_800;
const KEEP_COMPLETED_COUNT = 30;
const KEEP_FAILED_COUNT = 100;

/**
 * User webhook delivery for one process: `enqueue` puts jobs on `userWebhookDeliver` (spec §9); `startWorker` makes
 * this process deliver them (spec §8). A process that only enqueues never starts the worker.
 */
export class UserWebhookDelivery {
	readonly queue: Bull.Queue<UserWebhookDeliverJobData>;
	private readonly options: NormalizedOptions;
	private readonly logger: DeliveryLogger;
	private readonly agents: DeliveryAgents;
	private readonly statusWriter: WebhookStatusWriter;
	private workerRunning = false;

	constructor(input: { dataSource: DataSource; options: NormalizedOptions; logger?: DeliveryLogger }) {
		this.options = input.options;
		this.logger = input.logger ?? consoleDeliveryLogger;
		this.queue = createUserWebhookDeliverQueue(input.options);
		// Without a listener an 'error' event (a lost Redis connection) would take the host process down.
		this.queue.on('error', (error: unknown) => this.logger.warn(`user webhook queue error: ${error instanceof Error ? error.message : String(error)}`));
		this.agents = createDeliveryAgents(input.options);
		this.statusWriter = new WebhookStatusWriter({ dataSource: input.dataSource, logger: this.logger });
	}

	/** Queues one job per target in one round trip; each job gets its own eventId and copies URL and secret now (spec §8.1, §9). */
	async enqueue(targets: ReadonlyArray<DeliveryTarget>, type: UserWebhookEventType, body: unknown, overrides: EnqueueOverrides = {}): Promise<void> {
		if (targets.length === 0) return;
		const createdAt = Date.now();
		const jobOptions: Bull.JobOptions = {
			attempts: overrides.attempts ?? attemptsFor(this.options),
			backoff: { type: USER_WEBHOOK_BACKOFF },
			removeOnComplete: { age: KEEP_FINISHED_SECONDS, count: KEEP_COMPLETED_COUNT },
			removeOnFail: { age: KEEP_FINISHED_SECONDS, count: KEEP_FAILED_COUNT },
		};
		await this.queue.addBulk(targets.map((target) => ({
			name: target.id,
			data: {
				type,
				content: body,
				webhookId: target.id,
				userId: target.userId,
				to: overrides.url ?? target.url,
				secret: overrides.secret ?? target.secret,
				createdAt,
				eventId: randomUUID(),
			},
			opts: jobOptions,
		})));
	}

	/** Starts delivering queued jobs in this process, `workerConcurrency` at a time, every job name (= webhook id). */
	async startWorker(): Promise<void> {
		if (this.workerRunning) return;
		this.workerRunning = true;
		const processor = createUserWebhookDeliverProcessor({
			sender: new WebhookSender({ options: this.options, agents: this.agents }),
			limiter: new TargetHostLimiter(this.options.concurrencyPerTargetHost),
			statusWriter: this.statusWriter,
			logger: this.logger,
		});
		// Bull's process() settles only when the queue closes; failures to start surface as the queue's errors.
		this.queue.process('*', this.options.workerConcurrency, processor).catch((error: unknown) => {
			this.logger.warn(`user webhook worker stopped: ${error instanceof Error ? error.message : String(error)}`);
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
