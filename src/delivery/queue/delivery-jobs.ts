import type Bull from 'bull';
import type { NormalizedOptions } from '../../config/options.js';
import type { WebhookDeliveryEntity } from '../../store/webhook-delivery.entity.js';
import type { NewDelivery } from '../../store/delivery-store.js';
import type { DeliveryJobExtras, WebhookDeliverJobData } from '../job/job-data.js';
import type { DeliveryOptionsOfTarget } from '../job/delivery-options.js';
import { WEBHOOK_BACKOFF } from './queue.js';
import { attemptsOf, effectiveRetryPolicy } from '../retry/retry-policy.js';
import type { RetryPolicyName } from '../../core/retry-policy-name.js';
import { jobOptions } from '../../core/webhook-options.js';

// Misskey keeps finished jobs for the queue inspector: 7 days, at most 30 completed and 100 failed.
const KEEP_FINISHED_SECONDS = 604_800;
const KEEP_COMPLETED_COUNT = 30;
const KEEP_FAILED_COUNT = 100;

/**
 * The fields every delivery copies from its webhook into the job: id, URL, secret, the options a job copies and the
 * rotated-out secret. A webhook naming no retry preset gets `defaultRetryPolicy`.
 */
export interface WebhookDeliveryTargetBase extends DeliveryOptionsOfTarget {
	id: string;
	url: string;
	secret: string;
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

/** One job as `addBulk` takes it. */
export interface DeliveryJob<Data> {
	name: string;
	data: Data;
	opts: Bull.JobOptions;
}

/**
 * Adds the jobs in one round trip: a lone job by `add` (one script call), several by `addBulk` (one MULTI). Most
 * events have one delivery, and a MULTI around a single job costs about twice the CPU of the plain add.
 */
export function addDeliveryJobs<Data>(queue: Bull.Queue<Data>, jobs: ReadonlyArray<DeliveryJob<Data>>): Promise<unknown> {
	if (jobs.length === 1) return queue.add(jobs[0].name, jobs[0].data, jobs[0].opts);
	return queue.addBulk([...jobs]);
}

/** Takes jobs back from the queue where no worker holds them yet (Bull does not remove a locked job); best effort. */
export async function removeWaitingJobs<Data>(queue: Bull.Queue<Data>, jobs: ReadonlyArray<DeliveryJob<Data>>): Promise<void> {
	await Promise.allSettled(jobs.map(async (job) => {
		if (job.opts.jobId === undefined) return;
		await (await queue.getJob(job.opts.jobId))?.remove();
	}));
}

/** Builds the kind's job data (Misskey's fields, in Misskey's order) for one target. */
export type JobDataOf<Target, Data extends WebhookDeliverJobData> = (target: Target, common: CommonJobFields<Data['type']>) => Data;

/**
 * Bull options of a delivery job: Misskey's backoff and retention, the attempts its schedule allows, and, for
 * a job with an outbox row, that row's id as the job id, so Bull ignores a second add of the same delivery.
 */
export function deliveryJobOptions(attempts: number, jobId?: string, delayMs?: number): Bull.JobOptions {
	// Built field by field, without spreads: this runs once per delivery (see newJob).
	const options: Bull.JobOptions = {};
	if (jobId !== undefined) options.jobId = jobId;
	options.attempts = attempts;
	options.backoff = { type: WEBHOOK_BACKOFF };
	options.removeOnComplete = { age: KEEP_FINISHED_SECONDS, count: KEEP_COMPLETED_COUNT };
	options.removeOnFail = { age: KEEP_FINISHED_SECONDS, count: KEEP_FAILED_COUNT };
	if (delayMs) options.delay = delayMs;
	return options;
}

/** The attempts a target's deliveries get: the operator's timetable, else its preset's. */
export function attemptsForTarget(target: WebhookDeliveryTargetBase, options: Pick<NormalizedOptions, 'retryDelaysMs' | 'defaultRetryPolicy'>): number {
	return attemptsOf(effectiveRetryPolicy(options, target.retryPolicy ?? options.defaultRetryPolicy));
}

/** The outbox row of a job just built for enqueue: what the job copied, so it can be built again. */
export function outboxRowOf(data: WebhookDeliverJobData, deliveryId: string, maxAttempts: number): NewDelivery {
	const row = {
		id: deliveryId,
		webhookId: data.webhookId,
		userId: 'userId' in data ? data.userId : null,
		eventId: data.eventId,
		url: data.to,
		secret: data.secret,
		previousSecret: data.previousSecret ?? null,
		previousSecretExpiresAt: data.previousSecretExpiresAt == null ? null : new Date(data.previousSecretExpiresAt),
		maxAttempts,
	} as NewDelivery;
	const copied = data as unknown as Record<string, unknown>;
	for (const { name, job } of jobOptions) (row as unknown as Record<string, unknown>)[name] = copied[name] ?? job.absent;
	return row;
}

/**
 * The job of a delivery rebuilt from its outbox row: the same event id, body and envelope time, so
 * the receiver gets the same bytes. `target` is where it goes: the row's copied URL, secret and options (the reconciler
 * re-queueing the job Redis lost), or the webhook as it is now (a redelivery, which follows a changed URL or secret).
 */
export function jobDataOfRow<Target extends WebhookDeliveryTargetBase, Data extends WebhookDeliverJobData>(
	row: WebhookDeliveryEntity,
	target: Target,
	jobDataOf: JobDataOf<Target, Data>,
	defaultRetryPolicy: RetryPolicyName,
	extras: Pick<DeliveryJobExtras, 'attemptsBefore' | 'trigger'>,
): Data {
	const common = {
		type: row.type as Data['type'],
		content: JSON.parse(row.body) as unknown,
		to: target.url,
		secret: target.secret,
		createdAt: row.createdAt.getTime(),
		eventId: row.eventId,
	};
	return { ...jobDataOf(target, common), deliveryId: row.id, retryPolicy: target.retryPolicy ?? defaultRetryPolicy, ...extras };
}

/** A row's own copy of its webhook, as the job was first built from. */
export function rowTarget(row: WebhookDeliveryEntity): WebhookDeliveryTargetBase & { userId: string | null } {
	const target: WebhookDeliveryTargetBase & { userId: string | null } = {
		id: row.webhookId,
		userId: row.userId,
		url: row.url,
		secret: row.secret,
		previousSecret: row.previousSecret,
		previousSecretExpiresAt: row.previousSecretExpiresAt,
	};
	for (const { name } of jobOptions) (target as unknown as Record<string, unknown>)[name] = row[name];
	return target;
}
