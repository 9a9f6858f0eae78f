import type { Caller } from '../../host.js';
import type { WebhookEntity } from '../../store/webhook.entity.js';
import type { UserWebhook } from '../../generated/user-webhook.js';
import { packedOptionValues } from './webhook-options.js';
import { packUserWebhookStatus, packUserWebhookSubscription } from './user-webhook-summary.js';

/**
 * A webhook row in Misskey's packed `UserWebhook` shape: every key present, secret in clear, dates as ISO
 * strings; plus who paused it, why and when (null when not paused), but not which moderator; plus when a replaced
 * secret stops signing (never the secret itself) and the webhook's options.
 */
export function packUserWebhook(row: WebhookEntity): UserWebhook {
	return {
		...packUserWebhookSubscription(row),
		url: row.url,
		secret: row.secret,
		...packUserWebhookStatus(row),
		...packedOptionValues('user', row, previousSecretExpiresAtOf(row)),
	};
}

/**
 * A webhook as `list` and `show` answer `caller`: an app token (MiAuth or an app's own) gets the secret withheld, `''`
 * with `secretWithheld: true`, so a third-party app can manage webhooks but cannot forge or read their deliveries; the
 * user's own (native) token sees it as Misskey shows it.
 */
export function packUserWebhookFor(caller: Pick<Caller, 'isNativeToken'>, row: WebhookEntity): UserWebhook {
	const packed = packUserWebhook(row);
	return caller.isNativeToken ? packed : { ...packed, secret: '', secretWithheld: true };
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
