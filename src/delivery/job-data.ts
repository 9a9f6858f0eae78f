import type { SystemWebhookEventType, UserWebhookEventType } from '../events/catalogue.js';

/**
 * One user webhook delivery as queued (Misskey `UserWebhookDeliverJobData`, spec §9).
 * URL and secret are copied at enqueue, so later edits do not touch queued or retrying jobs and the worker reads no row.
 */
export interface UserWebhookDeliverJobData {
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

/** One system webhook delivery as queued (Misskey `SystemWebhookDeliverJobData`, spec §9): the user job without `userId`. */
export interface SystemWebhookDeliverJobData {
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
