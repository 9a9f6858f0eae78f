import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import type { NormalizedOptions } from '../config/options.js';
import type { WebhookDeliverJobData } from './job/job-data.js';
import type { AttemptRecorder } from './log/attempt-record.js';
import type { WebhookLogger } from '../core/logger.js';
import type { WebhookStatusTable } from './log/status-writer.js';
import type { CurrentSecretsLookup } from './job/current-secrets.js';
import type { CommonJobFields, WebhookDeliveryTargetBase } from './queue/delivery-jobs.js';
import type { WebhookKindName } from '../core/webhook-kind.js';

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

/** What every part of a kind's delivery (enqueuer, workers, maintenance) works with; the delivery owns the queue. */
export interface DeliveryPartInput<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData> {
	kind: WebhookKind<Target, Data>;
	options: NormalizedOptions;
	logger: WebhookLogger;
	queue: Bull.Queue<Data>;
}
