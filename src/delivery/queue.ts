import Bull from 'bull';
import type { NormalizedOptions } from '../config.js';
import type { UserWebhookDeliverJobData } from './job-data.js';
import { retryDelayMs } from './retry-policy.js';

/** Misskey's queue name for user webhook deliveries (spec §9). */
export const USER_WEBHOOK_DELIVER_QUEUE = 'userWebhookDeliver';

/** The backoff type named in each job's options; Misskey's jobs say `custom` too (spec §9). */
export const USER_WEBHOOK_BACKOFF = 'custom';

/** The queue of user webhook deliveries, whose `custom` backoff is the retry policy (spec §9). */
export function createUserWebhookDeliverQueue(options: NormalizedOptions): Bull.Queue<UserWebhookDeliverJobData> {
	return new Bull<UserWebhookDeliverJobData>(USER_WEBHOOK_DELIVER_QUEUE, options.redisUrl, {
		prefix: options.queuePrefix,
		settings: {
			backoffStrategies: {
				[USER_WEBHOOK_BACKOFF]: (attemptsMade: number) => retryDelayMs(attemptsMade, options),
			},
		},
	});
}
