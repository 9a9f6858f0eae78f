import type { WebhookEntity } from '../../store/webhook.entity.js';
import type { ModeratorUserWebhook } from '../../generated/moderator-user-webhook.js';
import type { UserLite } from '../../generated/user-lite.js';
import type { HostAdapter } from '../../host.js';
import { moderatorOptionValues } from './webhook-options.js';
import { redactWebhookUrl } from '../../core/redact-url.js';
import { packUserWebhookStatus, packUserWebhookSubscription } from './user-webhook-summary.js';

/** A webhook as moderators may see it without its owner: `hasSecret` instead of the secret, the URL redacted. */
export type RedactedUserWebhook = Omit<ModeratorUserWebhook, 'user'>;

/**
 * The row with its secret replaced by `hasSecret` and its URL cut to scheme and host (core/redact-url.ts); also what
 * the moderation log gets as `before` / `after`.
 */
export function redactUserWebhook(row: WebhookEntity): RedactedUserWebhook {
	return {
		...packUserWebhookSubscription(row),
		url: redactWebhookUrl(row.url),
		hasSecret: row.secret !== '',
		...packUserWebhookStatus(row),
		pausedByUserId: row.pausedByUserId,
		...moderatorOptionValues(row),
	};
}

/** Rows in the `ModeratorUserWebhook` shape, in their order, each owner packed once as UserLite by the host. */
export async function packModeratorUserWebhooks(rows: readonly WebhookEntity[], host: Pick<HostAdapter, 'packUserLite'>): Promise<ModeratorUserWebhook[]> {
	const owners = new Map<string, Promise<UserLite>>();
	const ownerOf = (userId: string) => {
		let owner = owners.get(userId);
		if (!owner) {
			owner = host.packUserLite(userId);
			owners.set(userId, owner);
		}
		return owner;
	};
	return Promise.all(rows.map(async (row) => {
		const { id, userId, ...rest } = redactUserWebhook(row);
		return { id, userId, user: await ownerOf(userId), ...rest };
	}));
}
