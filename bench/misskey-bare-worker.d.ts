import type Bull from 'bull';

/** Stock Misskey's user-webhook job data (`UserWebhookDeliverJobData`), as the bare worker sends it. */
export interface BareJobData {
	type: 'note';
	content: unknown;
	webhookId: string;
	userId: string;
	to: string;
	secret: string;
	createdAt: number;
	eventId: string;
}

export const BARE_CONCURRENCY: number;
export const BARE_QUEUE_NAME: string;
export const BARE_QUEUE_PREFIX: string;
export function openBareQueue(redisUrl: string): Bull.Queue<BareJobData>;
export function startBareWorker(queue: Bull.Queue<BareJobData>, serverUrl: string): Promise<{ at: number; close(): Promise<void> }>;
