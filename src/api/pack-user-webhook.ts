import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhook } from '../generated/user-webhook.js';

/** The keys our `UserWebhook` adds to Misskey's (issue 3 point 4); Misskey clients ignore them. */
export const userWebhookPauseKeys = ['pausedBy', 'pausedReason', 'pausedAt'] as const;

/**
 * A webhook row in Misskey's packed `UserWebhook` shape (spec §2.3): every key present, secret in clear, dates as ISO
 * strings; plus who paused it, why and when (null when not paused), but not which moderator.
 */
export function packUserWebhook(row: WebhookEntity): UserWebhook {
	return {
		id: row.id,
		userId: row.userId,
		name: row.name,
		on: [...row.on],
		url: row.url,
		secret: row.secret,
		active: row.active,
		latestSentAt: row.latestSentAt ? row.latestSentAt.toISOString() : null,
		latestStatus: row.latestStatus,
		pausedBy: row.pausedBy ?? null,
		pausedReason: row.pausedReason ?? null,
		pausedAt: row.pausedAt ? row.pausedAt.toISOString() : null,
	};
}
