import type { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { SystemWebhookDeliverJobData } from './job/job-data.js';
import { SYSTEM_WEBHOOK_DELIVER_QUEUE } from './queue/queue.js';
import { deliveryExtrasOf, type DeliveryOptionsOfTarget } from './job/delivery-options.js';
import { DeliveryOfKind, type WebhookDeliveryInput, type WebhookKind } from './delivery-of-kind.js';

/** Misskey's hard-coded worker concurrency of `systemWebhookDeliver`. */
export const SYSTEM_WEBHOOK_WORKER_CONCURRENCY = 16;

/** The system webhook fields a delivery copies into its job; the delivery options are optional. */
export type SystemDeliveryTarget = Pick<SystemWebhookEntity, 'id' | 'url' | 'secret'> & DeliveryOptionsOfTarget;

/** System webhooks: queue `systemWebhookDeliver`, 16 at a time, no `userId`, status in `system_webhook`. */
export const systemWebhookKind: WebhookKind<SystemDeliveryTarget, SystemWebhookDeliverJobData> = {
	name: 'system',
	label: 'system webhook',
	queueName: SYSTEM_WEBHOOK_DELIVER_QUEUE,
	statusTable: 'system_webhook',
	concurrency: () => SYSTEM_WEBHOOK_WORKER_CONCURRENCY,
	jobData: (target, { type, content, to, secret, createdAt, eventId }) => ({
		type, content, webhookId: target.id, to, secret, createdAt, eventId,
		...deliveryExtrasOf(target, secret, createdAt),
	}),
};

/**
 * System webhook delivery for one process: `enqueue` puts jobs on `systemWebhookDeliver`, `startWorker` delivers them
 * with the same sender, classification and retries as user webhooks.
 */
export class SystemWebhookDelivery extends DeliveryOfKind<SystemDeliveryTarget, SystemWebhookDeliverJobData> {
	constructor(input: Omit<WebhookDeliveryInput<SystemDeliveryTarget, SystemWebhookDeliverJobData>, 'kind'>) {
		super({ ...input, kind: systemWebhookKind });
	}
}
