import type Bull from 'bull';
import type { NormalizedOptions } from '../../config/options.js';
import type { UserWebhookDeliverJobData, WebhookDeliverJobData } from '../job/job-data.js';
import type { WebhookSender } from '../sender/sender.js';
import type { HostGate, HostPermit } from './host-gate.js';
import { hostAnswerOf } from './host-gate.js';
import { targetHostOf } from './target-host.js';
import { DEFERRED_RETURN_VALUE, deferActiveJob, returnDeferredJob, type JobDeferrer } from './deferral.js';
import type { WebhookLogger } from '../../core/logger.js';
import type { SendResult } from '../retry/send-result.js';
import type { AttemptRecord, AttemptRecorder } from '../log/attempt-record.js';
import { classifyDelivery, type DeliveryOutcome } from '../retry/outcome.js';
import { effectiveRetryPolicy, nextDelayMs } from '../retry/retry-policy.js';
import { jobFormatOf } from '../job/job-format.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';
import { webhookOptions } from '../../core/webhook-options.js';
import type { WebhookRateLimiter } from './webhook-rate.js';

/** Misskey's return value of a delivered job, as the queue inspector shows it. */
export const DELIVERED_RETURN_VALUE = 'Success';

/**
 * Thrown to Bull when an attempt did not deliver; carries the outcome and the wait the worker chose for the next
 * attempt (null: none), so the queue's backoff uses exactly the time the attempt log recorded and nothing reads the message.
 */
export class WebhookDeliveryFailed extends Error {
	override name = 'WebhookDeliveryFailed';

	constructor(
		readonly outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>,
		readonly nextDelayMs?: number | null,
	) {
		super(outcome.reason);
	}
}

/** What the processor needs; all of it lives for the whole worker. */
export interface DeliveryWorkerParts {
	sender: WebhookSender;
	/** Decides per job whether its request goes now or the job steps aside (docs/fairness.md). */
	gate: HostGate;
	/** Holds each webhook to its delivery rate across processes (docs/rate-limits.md); none: no rate is held. */
	rate?: WebhookRateLimiter;
	/** How a job steps aside without an attempt; default: back to Bull's delayed set. */
	defer?: JobDeferrer;
	/** Everything that learns of each finished attempt: status writer, attempt log, auto-disable, ... */
	recorders: readonly AttemptRecorder[];
	logger: WebhookLogger;
	/** Which webhook table the jobs belong to; by default told by the job data (a user job carries `userId`). */
	kind?: WebhookKindName;
	/** `retryDelaysMs` (an operator's exact timetable) overrides every job's preset. */
	options?: Pick<NormalizedOptions, 'retryDelaysMs'>;
	/** How log lines name the webhook: `user webhook` (the default) or `system webhook`. */
	label?: string;
	/** Told of a job that came without its data (its hash was lost in Redis), so the outbox can queue it again soon. */
	onJobWithoutData?(jobId: string): void;
}

/** Thrown for a job Bull handed over without its data: nothing can be sent; the reconciler re-queues it from the outbox. */
export class JobWithoutData extends Error {
	override name = 'JobWithoutData';
}

/** Where an attempt stands in its delivery: its number, and how many attempts the delivery's schedule allows. */
interface AttemptPosition {
	number: number;
	allowed: number;
}

/**
 * The Bull processor of `userWebhookDeliver` and `systemWebhookDeliver`:
 * admit → send → classify → schedule → record → settle. A job the host gate does not admit (its host's circuit is open,
 * its host or the hosts without an answer have no free slot) goes back to the delayed set at once: no request, no
 * attempt, no record, and its worker slot is free for another host's job (a job of a receiver that answers fast may
 * first wait a few of its latencies for that receiver's next free slot). Delivered resolves; retry throws with the
 * chosen wait so Bull applies it; final discards the job first (Misskey's UnrecoverableError). Every attempt goes to
 * every recorder. Nothing is read from the database: the job carries all it needs.
 */
export function createWebhookDeliverProcessor<Data extends WebhookDeliverJobData>(parts: DeliveryWorkerParts): (job: Bull.Job<Data>) => Promise<string> {
	return async (job) => {
		// Bull turns a job hash without `data` into `{}`; sending it would crash deep in the sender instead.
		if (typeof job.data?.to !== 'string') return refuseJobWithoutData(job, parts);
		// Over its webhook's rate, the job steps aside until its slot, before it takes one of the host's.
		const rateWaitMs = await waitForRate(job, parts);
		if (rateWaitMs > 0) {
			await (parts.defer ?? deferActiveJob)(job, Date.now() + rateWaitMs, null);
			parts.gate.countRateDeferral();
			return DEFERRED_RETURN_VALUE;
		}
		const host = targetHostOf(job.data.to);
		const admitted = parts.gate.admit(host, job.id === undefined ? undefined : String(job.id));
		const admission = admitted.kind === 'wait' ? await admitted.decision : admitted;
		if (admission.kind === 'defer') {
			await (parts.defer ?? deferActiveJob)(job, admission.dueAt, host);
			// The host answered while the job was being moved: the release of its line missed it, so it goes now.
			if (!parts.gate.stillInLine(admission.line)) await returnDeferredJob(job, host);
			return DEFERRED_RETURN_VALUE;
		}
		const { startedAt, durationMs, result } = await send(job.data, parts, admission.permit);
		const outcome = classifyDelivery(result);
		await heardByRate(job.data, outcome, parts);
		const position = positionOf(job);
		const delayMs = scheduleNext(job.data, position, outcome, parts);
		record(parts, attemptRecordOf(job.data, parts, { targetHost: host, startedAt, durationMs, result, outcome, position, delayMs }));
		return settle(job, outcome, delayMs);
	};
}

/** Ms the job waits for its webhook's rate; 0 when Redis cannot tell: the rate is a courtesy, the delivery is not. */
async function waitForRate(job: Bull.Job<WebhookDeliverJobData>, parts: DeliveryWorkerParts): Promise<number> {
	try {
		return parts.rate ? await parts.rate.waitBeforeSending(job) : 0;
	} catch (error) {
		parts.logger.warn({ webhookId: job.data.webhookId, error: error instanceof Error ? error.message : String(error) }, 'delivery rate unknown (Redis); sent without it');
		return 0;
	}
}

/** A 429 with Retry-After pauses the webhook's rate for every process. */
async function heardByRate(data: WebhookDeliverJobData, outcome: DeliveryOutcome, parts: DeliveryWorkerParts): Promise<void> {
	await parts.rate?.heard(data, outcome).catch((error: unknown) => {
		parts.logger.warn({ webhookId: data.webhookId, error: error instanceof Error ? error.message : String(error) }, 'could not pause the delivery rate after a 429');
	});
}

async function refuseJobWithoutData(job: Bull.Job, parts: DeliveryWorkerParts): Promise<never> {
	const jobId = String(job.id);
	parts.logger.error({ kind: parts.kind, jobId }, 'a job has no data (Redis lost it while it was queued); not sent, left for the outbox to re-queue');
	parts.onJobWithoutData?.(jobId);
	await job.discard();
	throw new JobWithoutData(`job ${jobId} has no data`);
}

/** The processor of `userWebhookDeliver`. */
export const createUserWebhookDeliverProcessor = createWebhookDeliverProcessor<UserWebhookDeliverJobData>;

/** One POST, timed; the host's slot is handed back with what the request got, which moves the host's circuit. */
async function send(data: WebhookDeliverJobData, parts: DeliveryWorkerParts, permit: HostPermit): Promise<{ startedAt: Date; durationMs: number; result: SendResult }> {
	const startedAt = new Date();
	let result: SendResult | undefined;
	try {
		result = await parts.sender.send(data);
	} finally {
		const durationMs = Date.now() - startedAt.getTime();
		parts.gate.finish(permit, result ? hostAnswerOf(result) : 'other', durationMs, result?.kind === 'response' ? result.status : undefined);
	}
	return { startedAt, durationMs: Date.now() - startedAt.getTime(), result };
}

/** A re-queued or manual job continues its delivery's count: attempts made before it come first. */
function positionOf(job: Bull.Job<WebhookDeliverJobData>): AttemptPosition {
	const before = job.data.attemptsBefore ?? 0;
	return { number: before + job.attemptsMade + 1, allowed: before + (job.opts.attempts ?? 1) };
}

/**
 * Ms until the next attempt, or null when there is none: the job's preset (a Misskey-shaped job
 * without one follows Misskey's), or the operator's `retryDelaysMs`; never past the job's attempts, never after a manual one.
 */
function scheduleNext(data: WebhookDeliverJobData, position: AttemptPosition, outcome: DeliveryOutcome, parts: DeliveryWorkerParts): number | null {
	if (data.trigger === 'manual' || position.number >= position.allowed) return null;
	const policy = effectiveRetryPolicy(parts.options ?? { retryDelaysMs: null }, data.retryPolicy ?? webhookOptions.retryPolicy.job.absent);
	return nextDelayMs({ policy, attemptsMade: position.number, outcome });
}

function attemptRecordOf(
	data: WebhookDeliverJobData,
	parts: DeliveryWorkerParts,
	attempt: { targetHost: string; startedAt: Date; durationMs: number; result: SendResult; outcome: DeliveryOutcome; position: AttemptPosition; delayMs: number | null },
): AttemptRecord {
	const { result, delayMs } = attempt;
	// One literal, then the optional fields set only when present: this runs for every attempt.
	const record: AttemptRecord = {
		kind: parts.kind ?? ('userId' in data ? 'user' : 'system'),
		webhookId: data.webhookId,
		eventType: data.type,
		format: jobFormatOf(data),
		targetHost: attempt.targetHost,
		eventId: data.eventId,
		attemptNumber: attempt.position.number,
		attemptsAllowed: attempt.position.allowed,
		startedAt: attempt.startedAt,
		durationMs: attempt.durationMs,
		outcome: attempt.outcome,
		nextAttemptAt: delayMs === null ? null : new Date(Date.now() + delayMs),
		finished: delayMs === null,
		trigger: data.trigger ?? 'scheduled',
	};
	if (data.deliveryId !== undefined) record.deliveryId = data.deliveryId;
	if (result.kind === 'no-response') record.errorClass = result.errorClass;
	else {
		if (result.bodyPrefix !== undefined) record.responseBodyPrefix = result.bodyPrefix;
		if (result.answerWithheld) record.answerWithheld = true;
	}
	return record;
}

/** Hands the attempt to every recorder; one recorder's bug must not cost the delivery or the other recorders. */
function record(parts: DeliveryWorkerParts, attempt: AttemptRecord): void {
	for (const recorder of parts.recorders) {
		try {
			recorder.record(attempt);
		} catch (error) {
			parts.logger.error({ webhookId: attempt.webhookId, error: error instanceof Error ? error.message : String(error) }, 'attempt recorder failed');
		}
	}
}

// The attempt's log line is a recorder's part (delivery/log/attempt-log-lines.ts), as its status and metrics are.
async function settle(job: Bull.Job<WebhookDeliverJobData>, outcome: DeliveryOutcome, delayMs: number | null): Promise<string> {
	if (outcome.kind === 'delivered') return DELIVERED_RETURN_VALUE;
	// `disable` (410 Gone) ends the job like `final`; pausing the webhook is the auto-disable recorder's part.
	if (outcome.kind === 'final' || outcome.kind === 'disable') await job.discard();
	throw new WebhookDeliveryFailed(outcome, delayMs);
}
