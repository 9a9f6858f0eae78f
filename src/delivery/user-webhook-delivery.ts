import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhookDeliverJobData } from './job/job-data.js';
import { USER_WEBHOOK_DELIVER_QUEUE } from './queue/queue.js';
import { deliveryExtrasOf, type DeliveryOptionsOfTarget } from './job/delivery-options.js';
import { DeliveryOfKind, type WebhookDeliveryInput, type WebhookKind } from './delivery-of-kind.js';

export type { EnqueueOverrides } from './delivery-of-kind.js';

/** The webhook fields a delivery copies into its job; the delivery options are optional. */
export type DeliveryTarget = Pick<WebhookEntity, 'id' | 'userId' | 'url' | 'secret'> & DeliveryOptionsOfTarget;

/** User webhooks: queue `userWebhookDeliver`, `workerConcurrency` (Misskey: 64), status in `webhook`. */
export const userWebhookKind: WebhookKind<DeliveryTarget, UserWebhookDeliverJobData> = {
	name: 'user',
	label: 'user webhook',
	queueName: USER_WEBHOOK_DELIVER_QUEUE,
	statusTable: 'webhook',
	concurrency: (options) => options.workerConcurrency,
	jobData: (target, { type, content, to, secret, createdAt, eventId }) => ({
		type, content, webhookId: target.id, userId: target.userId, to, secret, createdAt, eventId,
		...deliveryExtrasOf(target, secret, createdAt),
	}),
};

/**
 * User webhook delivery for one process: `enqueue` puts jobs on `userWebhookDeliver`; `startWorker` makes
 * this process deliver them. A process that only enqueues never starts the worker.
 */
export class UserWebhookDelivery extends DeliveryOfKind<DeliveryTarget, UserWebhookDeliverJobData> {
	constructor(input: Omit<WebhookDeliveryInput<DeliveryTarget, UserWebhookDeliverJobData>, 'kind'>) {
		super({ ...input, kind: userWebhookKind });
	}
}
