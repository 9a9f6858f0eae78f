import type { UserWebhookEnvelope } from '../../generated/webhook-envelope.js';
import type { SystemWebhookEnvelope } from '../../generated/system-webhook-envelope.js';
import type { SystemWebhookDeliverJobData, UserWebhookDeliverJobData, WebhookDeliverJobData } from '../job/job-data.js';
import { secretsInForce } from '../../signing/secret-rotation.js';
import type { SignedBody } from '../../signing/signature.js';
import { standardWebhookHeaders } from '../../signing/standard-webhook-headers.js';

/** The JSON POSTed to a user webhook, keys in Misskey's order: server, hookId, userId, eventId, createdAt, type, body. */
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

/** The JSON POSTed to a system webhook: the user envelope without `userId`, keys in Misskey's order. */
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
 * The envelope of any job: Misskey's two job shapes differ exactly by `userId`, and so do its two envelopes, so the job data says which one it is; nothing else is stored with the job.
 */
export function buildWebhookEnvelope(job: WebhookDeliverJobData, serverUrl: string): UserWebhookEnvelope | SystemWebhookEnvelope {
	return 'userId' in job ? buildUserWebhookEnvelope(job, serverUrl) : buildSystemWebhookEnvelope(job, serverUrl);
}

/**
 * Misskey's request headers of a delivery, the same for user and system webhooks: the secret in clear, even
 * when empty, unless the webhook opted out with `sendSecretHeader: false` (absent on a Misskey-shaped job).
 */
export function webhookHeaders(job: WebhookDeliverJobData, serverHost: string): Record<string, string> {
	const headers: Record<string, string> = {
		'User-Agent': 'Misskey-Hooks',
		'X-Misskey-Host': serverHost,
		'X-Misskey-Hook-Id': job.webhookId,
	};
	if (job.sendSecretHeader !== false) headers['X-Misskey-Hook-Secret'] = job.secret;
	headers['Content-Type'] = 'application/json';
	return headers;
}

/**
 * The secrets a job signs with at `attemptAt`: its own, and the one it replaced while that one's grace
 * period runs, as the job carries them (copied at enqueue, or the current ones the sender put in, see attempt-secrets.ts).
 */
export function jobSecretsInForce(job: WebhookDeliverJobData, attemptAt: Date): string[] {
	const expiresAt = job.previousSecretExpiresAt;
	return secretsInForce({
		secret: job.secret,
		previousSecret: job.previousSecret ?? null,
		previousSecretExpiresAt: expiresAt == null ? null : new Date(expiresAt),
	}, attemptAt);
}

/** What one attempt's headers depend on besides the job: the exact body it sends and when it is made. */
export interface AttemptHeadersInput {
	serverHost: string;
	body: SignedBody;
	attemptAt: Date;
}

/**
 * Every header of one attempt: Misskey's, then Standard Webhooks' `webhook-id` (the job's `eventId`,
 * the same on every retry and redelivery), `webhook-timestamp` (this attempt's seconds) and, when a secret is in force,
 * `webhook-signature` over exactly `body`.
 */
export function deliveryHeaders(job: WebhookDeliverJobData, input: AttemptHeadersInput): Record<string, string> {
	// Object.assign, not spreads: this runs once per attempt, and spreads cost more here (docs/performance.md).
	return Object.assign(
		webhookHeaders(job, input.serverHost),
		standardWebhookHeaders({ eventId: job.eventId, attemptAt: input.attemptAt, body: input.body, secrets: jobSecretsInForce(job, input.attemptAt) }),
	);
}
