import type { DataSource } from 'typeorm';
import type { NormalizedOptions } from '../config.js';
import type { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { SystemWebhookDeliverJobData } from './job-data.js';
import type { DeliveryLogger } from './logger.js';
import { SYSTEM_WEBHOOK_DELIVER_QUEUE } from './queue.js';
import { WebhookDelivery, type WebhookKind } from './webhook-delivery.js';

/** Misskey's hard-coded worker concurrency of `systemWebhookDeliver` (spec §9). */
export const SYSTEM_WEBHOOK_WORKER_CONCURRENCY = 16;

/** The system webhook fields a delivery copies into its job. */
export type SystemDeliveryTarget = Pick<SystemWebhookEntity, 'id' | 'url' | 'secret'>;

/** System webhooks (spec §8, §9): queue `systemWebhookDeliver`, 16 at a time, no `userId`, status in `system_webhook`. */
export const systemWebhookKind: WebhookKind<SystemDeliveryTarget, SystemWebhookDeliverJobData> = {
	label: 'system webhook',
	queueName: SYSTEM_WEBHOOK_DELIVER_QUEUE,
	statusTable: 'system_webhook',
	concurrency: () => SYSTEM_WEBHOOK_WORKER_CONCURRENCY,
	jobData: (target, { type, content, to, secret, createdAt, eventId }) => ({
		type, content, webhookId: target.id, to, secret, createdAt, eventId,
	}),
};

/**
 * System webhook delivery for one process: `enqueue` puts jobs on `systemWebhookDeliver`, `startWorker` delivers them
 * with the same sender, classification and retries as user webhooks (spec §8, §9).
 */
export class SystemWebhookDelivery extends WebhookDelivery<SystemDeliveryTarget, SystemWebhookDeliverJobData> {
	constructor(input: { dataSource: DataSource; options: NormalizedOptions; logger?: DeliveryLogger }) {
		super({ ...input, kind: systemWebhookKind });
	}
}
