import type { WebhookDeliverJobData } from '../job/job-data.js';
import type { WebhookEvent } from './webhook-event.js';
import { discordBodyOf, slackBodyOf } from './render.js';
import { webhookOptions } from '../../core/webhook-options.js';

/**
 * The body of a job in a chat format, as the bytes to send; `null` for the `misskey` format (or a job without one),
 * whose body is Misskey's envelope, built by the sender exactly as before. The same job always renders the same bytes,
 * so every retry sends (and signs) an identical body.
 */
export function chatBodyOf(job: WebhookDeliverJobData, serverUrl: string): string | null {
	const format = job.format ?? webhookOptions.format.job.absent;
	if (format === 'misskey') return null;
	// The job's type and content were paired at enqueue by the event's own code: the type says the body's schema.
	const event = { type: job.type, body: job.content } as WebhookEvent;
	const context = { serverUrl, createdAt: job.createdAt };
	return JSON.stringify(format === 'discord' ? discordBodyOf(event, context) : slackBodyOf(event, context));
}
