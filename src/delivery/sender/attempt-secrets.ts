import type { WebhookDeliverJobData } from '../job/job-data.js';
import type { CurrentSecretsLookup } from '../job/current-secrets.js';

/**
 * The job one attempt is made with: when the webhook's secret changed since the job was queued and
 * the lookup still knows the webhook, its current secret and replaced secret (with their grace period) stand in for
 * the job's copy, so a retry after the grace period is not signed with an expired secret alone; the clear
 * `X-Misskey-Hook-Secret` carries that same current secret. A job whose secret was overridden (a test send), a webhook
 * the lookup does not know, an unchanged secret, or no lookup at all: the job's own copy, as Misskey.
 */
export function jobWithSecretsInForce(job: WebhookDeliverJobData, lookup: CurrentSecretsLookup | undefined): WebhookDeliverJobData {
	if (!lookup || job.secretOverride === true) return job;
	const current = lookup.currentSecretsOf('userId' in job ? 'user' : 'system', job.webhookId);
	if (!current || current.secret === job.secret) return job;
	return {
		...job,
		secret: current.secret,
		previousSecret: current.previousSecret ?? null,
		previousSecretExpiresAt: current.previousSecretExpiresAt?.getTime() ?? null,
	};
}
