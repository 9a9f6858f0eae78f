import Bull from 'bull';
import type { NormalizedOptions } from '../../config/options.js';
import type { SystemWebhookDeliverJobData, UserWebhookDeliverJobData, WebhookDeliverJobData } from '../job/job-data.js';
import { effectiveRetryPolicy } from '../retry/retry-policy.js';
import { webhookOptions } from '../../core/webhook-options.js';
import { BULL_NO_RETRY, retryBackoffMs } from './retry-backoff.js';
import { WebhookDeliveryFailed } from './worker.js';

/** Misskey's queue name for user webhook deliveries. */
export const USER_WEBHOOK_DELIVER_QUEUE = 'userWebhookDeliver';

/** Misskey's queue name for system webhook deliveries. */
export const SYSTEM_WEBHOOK_DELIVER_QUEUE = 'systemWebhookDeliver';

/** The backoff type named in each job's options, on both queues; Misskey's jobs say `custom` too. */
export const WEBHOOK_BACKOFF = 'custom';

/** Waits between tries to reach Redis again: 100 ms more each time, at most 2 s. */
export const REDIS_RECONNECT_STEP_MS = 100;
export const REDIS_RECONNECT_MAX_DELAY_MS = 2000;

/** How long a worker waits after an internal queue error before it takes the next job. */
export const RETRY_PROCESS_DELAY_MS = 1000;

/** The user queue's backoff type: the same `custom` as every delivery queue. */
export const USER_WEBHOOK_BACKOFF = WEBHOOK_BACKOFF;

/** The queue of user webhook deliveries, whose `custom` backoff is the retry policy. */
export function createUserWebhookDeliverQueue(options: NormalizedOptions): Bull.Queue<UserWebhookDeliverJobData> {
	return createWebhookDeliverQueue<UserWebhookDeliverJobData>(USER_WEBHOOK_DELIVER_QUEUE, options);
}

/** The queue of system webhook deliveries, with the same backoff as the user queue. */
export function createSystemWebhookDeliverQueue(options: NormalizedOptions): Bull.Queue<SystemWebhookDeliverJobData> {
	return createWebhookDeliverQueue<SystemWebhookDeliverJobData>(SYSTEM_WEBHOOK_DELIVER_QUEUE, options);
}

/**
 * A delivery queue named `name` whose `custom` backoff is the retry policy; both kinds of webhook share it. The worker chose the wait with the job's preset, Retry-After and the overload floor, and recorded
 * it: the backoff uses that very wait (none: the job fails now). Anything else thrown (a bug, broken infrastructure)
 * waits the default schedule's step.
 */
export function createWebhookDeliverQueue<Data extends WebhookDeliverJobData>(name: string, options: NormalizedOptions): Bull.Queue<Data> {
	return new Bull<Data>(name, options.redisUrl, {
		prefix: options.queuePrefix,
		// Bull's default waits up to 20 s between reconnection tries; a Redis that is back should be used within seconds.
		redis: { retryStrategy: (times: number) => Math.min(times * REDIS_RECONNECT_STEP_MS, REDIS_RECONNECT_MAX_DELAY_MS) },
		settings: {
			// After an internal error (a job whose keys Redis lost, a dropped connection) Bull pauses this long before it
			// takes the next job; its 5 s default would hold the worker idle long after Redis is back.
			retryProcessDelay: RETRY_PROCESS_DELAY_MS,
			// A dead worker's job is taken up again within lockDuration + stalledInterval (the options say why these values).
			lockDuration: options.jobLockDurationMs,
			lockRenewTime: options.jobLockDurationMs / 2,
			stalledInterval: options.stalledCheckIntervalMs,
			backoffStrategies: {
				[WEBHOOK_BACKOFF]: (attemptsMade: number, error: unknown) => chosenBackoffMs(error) ?? retryBackoffMs({ policy: effectiveRetryPolicy(options, webhookOptions.retryPolicy.job.absent), attemptsMade, error }),
			},
		},
	});
}

/** The wait the worker chose for the failed attempt (`BULL_NO_RETRY` for none), or undefined when it chose none. */
function chosenBackoffMs(error: unknown): number | undefined {
	if (!(error instanceof WebhookDeliveryFailed) || error.nextDelayMs === undefined) return undefined;
	return error.nextDelayMs ?? BULL_NO_RETRY;
}
