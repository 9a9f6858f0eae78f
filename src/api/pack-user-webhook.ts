import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhook } from '../generated/user-webhook.js';

/** The keys our `UserWebhook` adds to Misskey's; Misskey clients ignore them. */
export const userWebhookPauseKeys = ['pausedBy', 'pausedReason', 'pausedAt'] as const;

/** The delivery option keys our `UserWebhook` adds to Misskey's; Misskey clients ignore them. */
export const userWebhookDeliveryOptionKeys = ['retryPolicy', 'sendSecretHeader', 'previousSecretExpiresAt', 'excludeSpecifiedNotes', 'excludeFollowersNotes', 'format'] as const;

/**
 * A webhook row in Misskey's packed `UserWebhook` shape: every key present, secret in clear, dates as ISO
 * strings; plus who paused it, why and when (null when not paused), but not which moderator; plus the delivery options,
 * but never the replaced secret.
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
		retryPolicy: row.retryPolicy,
		sendSecretHeader: row.sendSecretHeader,
		previousSecretExpiresAt: previousSecretExpiresAtOf(row),
		excludeSpecifiedNotes: row.excludeSpecifiedNotes,
		excludeFollowersNotes: row.excludeFollowersNotes,
		format: row.format,
	};
}

/**
 * When the replaced secret stops signing, as an ISO string; null when there is none, or its grace period is over
 *. The replaced secret itself is never packed.
 */
export function previousSecretExpiresAtOf(row: Pick<WebhookEntity, 'previousSecret' | 'previousSecretExpiresAt'>, now: Date = new Date()): string | null {
	const expiresAt = row.previousSecretExpiresAt;
	if (!row.previousSecret || !expiresAt || expiresAt.getTime() <= now.getTime()) return null;
	return expiresAt.toISOString();
}
