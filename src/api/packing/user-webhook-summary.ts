import type { WebhookEntity } from '../../store/webhook.entity.js';
import type { UserWebhookSummary } from '../../generated/user-webhook-summary.js';

/**
 * What the owner and moderators both see of a user webhook (`UserWebhookSummary`), in two parts because the answers
 * put its URL and secret between them: what it subscribes to, then its status.
 */
export function packUserWebhookSubscription(row: WebhookEntity): Pick<UserWebhookSummary, 'id' | 'userId' | 'name' | 'on'> {
	return { id: row.id, userId: row.userId, name: row.name, on: [...row.on] };
}

/** Whether it is active, its last attempt, and who paused it, why and when (null when not paused). */
export function packUserWebhookStatus(row: WebhookEntity): Pick<UserWebhookSummary, 'active' | 'latestSentAt' | 'latestStatus' | 'pausedBy' | 'pausedReason' | 'pausedAt'> {
	return {
		active: row.active,
		latestSentAt: row.latestSentAt ? row.latestSentAt.toISOString() : null,
		latestStatus: row.latestStatus,
		pausedBy: row.pausedBy ?? null,
		pausedReason: row.pausedReason ?? null,
		pausedAt: row.pausedAt ? row.pausedAt.toISOString() : null,
	};
}
