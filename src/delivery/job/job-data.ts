import type { SystemWebhookEventType, UserWebhookEventType } from '../../events/catalogue.js';
import type { JobOptionValues } from '../../core/webhook-options.js';

/**
 * What our jobs carry beyond Misskey's fields, all optional so a job shaped exactly as Misskey's still delivers
 * (Misskey behaviour: no outbox row, no rotation, and each copied option as its descriptor's `job.absent` says).
 */
export interface DeliveryJobExtras extends Partial<JobOptionValues> {
	/** The outbox row (`webhook_delivery.id`) this job delivers. */
	deliveryId?: string;
	/** The secret replaced last, still signing until `previousSecretExpiresAt` (epoch ms). */
	previousSecret?: string | null;
	previousSecretExpiresAt?: number | null;
	/** Attempts the delivery made before this job (a re-queued or manual job): numbers this job's attempts after them. */
	attemptsBefore?: number;
	/** `manual` for a redelivery asked for through the API: one attempt that does not reopen the retry schedule. */
	trigger?: 'scheduled' | 'manual';
	/** true when the job's secret is not the webhook's (a test send's `override.secret`): it signs with that one alone, never with the webhook's current secrets. */
	secretOverride?: boolean;
}

/**
 * One user webhook delivery as queued (Misskey `UserWebhookDeliverJobData`).
 * URL and secret are copied at enqueue, so later edits do not touch queued or retrying jobs and the worker reads no row.
 */
export interface UserWebhookDeliverJobData extends DeliveryJobExtras {
	type: UserWebhookEventType;
	/** The event payload, sent as the envelope's `body`. */
	content: unknown;
	webhookId: string;
	userId: string;
	/** The target URL. */
	to: string;
	secret: string;
	/** Enqueue time, epoch milliseconds. */
	createdAt: number;
	/** UUID v4 made per job: the same across that job's retries, different for each webhook of one event. */
	eventId: string;
}

/** One system webhook delivery as queued (Misskey `SystemWebhookDeliverJobData`): the user job without `userId`. */
export interface SystemWebhookDeliverJobData extends DeliveryJobExtras {
	type: SystemWebhookEventType;
	/** The event payload, sent as the envelope's `body`. */
	content: unknown;
	webhookId: string;
	/** The target URL. */
	to: string;
	secret: string;
	/** Enqueue time, epoch milliseconds. */
	createdAt: number;
	/** UUID v4 made per job: the same across that job's retries. */
	eventId: string;
}

/** A job of either delivery queue; the worker, sender and status writer serve both kinds. */
export type WebhookDeliverJobData = UserWebhookDeliverJobData | SystemWebhookDeliverJobData;
