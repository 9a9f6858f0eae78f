import Bull from 'bull';
import type { NormalizedOptions } from '../config.js';
import type { SystemWebhookDeliverJobData, UserWebhookDeliverJobData, WebhookDeliverJobData } from './job-data.js';
import { retryDelayMs } from './retry-policy.js';

/** Misskey's queue name for user webhook deliveries (spec §9). */
export const USER_WEBHOOK_DELIVER_QUEUE = 'userWebhookDeliver';

/** Misskey's queue name for system webhook deliveries (spec §9). */
export const SYSTEM_WEBHOOK_DELIVER_QUEUE = 'systemWebhookDeliver';

/** The backoff type named in each job's options, on both queues; Misskey's jobs say `custom` too (spec §9). */
export const WEBHOOK_BACKOFF = 'custom';

/** The user queue's backoff type: the same `custom` as every delivery queue (spec §9). */
export const USER_WEBHOOK_BACKOFF = WEBHOOK_BACKOFF;

/** The queue of user webhook deliveries, whose `custom` backoff is the retry policy (spec §9). */
export function createUserWebhookDeliverQueue(options: NormalizedOptions): Bull.Queue<UserWebhookDeliverJobData> {
	return createWebhookDeliverQueue<UserWebhookDeliverJobData>(USER_WEBHOOK_DELIVER_QUEUE, options);
}

/** The queue of system webhook deliveries, with the same backoff as the user queue (spec §9). */
export function createSystemWebhookDeliverQueue(options: NormalizedOptions): Bull.Queue<SystemWebhookDeliverJobData> {
	return createWebhookDeliverQueue<SystemWebhookDeliverJobData>(SYSTEM_WEBHOOK_DELIVER_QUEUE, options);
}

/** A delivery queue named `name` whose `custom` backoff is the retry policy; both kinds of webhook share it (spec §9). */
export function createWebhookDeliverQueue<Data extends WebhookDeliverJobData>(name: string, options: NormalizedOptions): Bull.Queue<Data> {
	return new Bull<Data>(name, options.redisUrl, {
		prefix: options.queuePrefix,
		settings: {
			backoffStrategies: {
				[WEBHOOK_BACKOFF]: (attemptsMade: number) => retryDelayMs(attemptsMade, options),
			},
		},
	});
}
