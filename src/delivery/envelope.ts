import type { UserWebhookEnvelope } from '../generated/webhook-envelope.js';
import type { SystemWebhookEnvelope } from '../generated/system-webhook-envelope.js';
import type { SystemWebhookDeliverJobData, UserWebhookDeliverJobData, WebhookDeliverJobData } from './job-data.js';

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

/** The JSON POSTed to a system webhook: the user envelope without `userId`, keys in Misskey's order (spec §8.1). */
export function buildSystemWebhookEnvelope(job: SystemWebhookDeliverJobData, serverUrl: string): SystemWebhookEnvelope {
	return {
		server: serverUrl,
		hookId: job.webhookId,
		eventId: job.eventId,
		createdAt: job.createdAt,
		type: job.type,
		body: job.content as SystemWebhookEnvelope['body'],
	};
}

/**
 * The envelope of any job: Misskey's two job shapes differ exactly by `userId`, and so do its two envelopes (spec §8.1,
 * §9), so the job data says which one it is; nothing else is stored with the job.
 */
export function buildWebhookEnvelope(job: WebhookDeliverJobData, serverUrl: string): UserWebhookEnvelope | SystemWebhookEnvelope {
	return 'userId' in job ? buildUserWebhookEnvelope(job, serverUrl) : buildSystemWebhookEnvelope(job, serverUrl);
}

/** The request headers of a delivery, the same for user and system webhooks (spec §8.2); the secret is sent in clear, even when empty. */
export function webhookHeaders(job: WebhookDeliverJobData, serverHost: string): Record<string, string> {
	return {
		'User-Agent': 'Misskey-Hooks',
		'X-Misskey-Host': serverHost,
		'X-Misskey-Hook-Id': job.webhookId,
		'X-Misskey-Hook-Secret': job.secret,
		'Content-Type': 'application/json',
	};
}
