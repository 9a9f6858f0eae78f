import type { UserWebhookEnvelope } from '../generated/webhook-envelope.js';
import type { UserWebhookDeliverJobData } from './job-data.js';

/** The JSON POSTed to a user webhook, keys in Misskey's order: server, hookId, userId, eventId, createdAt, type, body (spec §8.1). */
export function buildUserWebhookEnvelope(job: UserWebhookDeliverJobData, serverUrl: string): UserWebhookEnvelope {
	return {
		server: serverUrl,
		hookId: job.webhookId,
		userId: job.userId,
		eventId: job.eventId,
		createdAt: job.createdAt,
		type: job.type,
		body: job.content as UserWebhookEnvelope['body'],
	};
}

/** The request headers of a user webhook delivery (spec §8.2); the secret is sent in clear, even when empty. */
export function userWebhookHeaders(job: UserWebhookDeliverJobData, serverHost: string): Record<string, string> {
	return {
		'User-Agent': 'Misskey-Hooks',
		'X-Misskey-Host': serverHost,
		'X-Misskey-Hook-Id': job.webhookId,
		'X-Misskey-Hook-Secret': job.secret,
		'Content-Type': 'application/json',
	};
}
