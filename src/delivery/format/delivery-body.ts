import type { WebhookDeliverJobData } from '../job/job-data.js';
import type { WebhookEvent } from './webhook-event.js';
import { discordBodyOf, gotifyBodyOf, googleChatBodyOf, ntfyBodyOf, slackBodyOf, teamsBodyOf, telegramBodyOf } from './render.js';
import { telegramTargetOf } from './telegram.js';
import { ntfyTargetOf } from './ntfy-target.js';
import { webhookOptions } from '../../core/webhook-options.js';

/** What a job in a chat format sends: the rendered body, and where (the webhook's URL, or the one its service takes). */
export interface ChatRequest {
	url: string;
	body: string;
}

/**
 * The request of a job in a chat format; `null` for the `misskey` format (or a job without one), whose body is
 * Misskey's envelope, built by the sender exactly as before. The same job always renders the same bytes, so every
 * retry sends (and signs) an identical body.
 */
export function chatRequestOf(job: WebhookDeliverJobData, serverUrl: string): ChatRequest | null {
	const format = job.format ?? webhookOptions.format.job.absent;
	// The job's type and content were paired at enqueue by the event's own code: the type says the body's schema.
	const event = { type: job.type, body: job.content } as WebhookEvent;
	const context = { serverUrl, createdAt: job.createdAt };
	const at = (body: unknown, url = job.to): ChatRequest => ({ url, body: JSON.stringify(body) });
	switch (format) {
		case 'misskey':
			return null;
		case 'discord':
			return at(discordBodyOf(event, context));
		case 'slack':
			return at(slackBodyOf(event, context));
		case 'teams':
			return at(teamsBodyOf(event, context));
		case 'googlechat':
			return at(googleChatBodyOf(event, context));
		case 'gotify':
			return at(gotifyBodyOf(event, context));
		case 'telegram':
			return at(telegramBodyOf(event, context, telegramTargetOf(job.to)));
		case 'ntfy': {
			// ntfy takes JSON at its root URL only; the webhook names the topic URL people know.
			const target = ntfyTargetOf(job.to);
			return at(ntfyBodyOf(event, context, target.topic), target.publishUrl);
		}
	}
}

/** The body alone of a job in a chat format (see chatRequestOf). */
export function chatBodyOf(job: WebhookDeliverJobData, serverUrl: string): string | null {
	return chatRequestOf(job, serverUrl)?.body ?? null;
}
