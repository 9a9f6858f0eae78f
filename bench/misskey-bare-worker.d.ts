import type Bull from 'bull';
import type { UserWebhookDeliverJobData } from '../src/delivery/job/job-data.js';

/** Stock Misskey's user-webhook job data (`UserWebhookDeliverJobData`), without the module's extras, as the bare worker sends it. */
export type BareJobData = Pick<UserWebhookDeliverJobData, 'content' | 'webhookId' | 'userId' | 'to' | 'secret' | 'createdAt' | 'eventId'> & { type: 'note' };

export function openBareQueue(redisUrl: string): Bull.Queue<BareJobData>;
export function startBareWorker(queue: Bull.Queue<BareJobData>, serverUrl: string): Promise<{ at: number; close(): Promise<void> }>;
