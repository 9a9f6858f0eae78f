import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhook } from '../generated/user-webhook.js';

/** A webhook row in Misskey's packed `UserWebhook` shape (spec §2.3): every key present, secret in clear, dates as ISO strings. */
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
	};
}
