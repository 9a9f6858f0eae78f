import type { SystemWebhookEntity } from '../../store/system-webhook.entity.js';
import type { SystemWebhook } from '../../generated/system-webhook.js';
import { previousSecretExpiresAtOf } from './pack-user-webhook.js';
import { packedOptionValues } from './webhook-options.js';

/**
 * A row in Misskey's packed `SystemWebhook` shape: every key present, secret in clear, dates via toISOString;
 * plus who paused it, why and when (null when not paused), and the delivery options, but never the replaced secret.
 */
export function packSystemWebhook(row: SystemWebhookEntity): SystemWebhook {
	return {
		id: row.id,
		isActive: row.isActive,
		updatedAt: row.updatedAt.toISOString(),
		latestSentAt: row.latestSentAt ? row.latestSentAt.toISOString() : null,
		latestStatus: row.latestStatus,
		name: row.name,
		on: [...row.on],
		url: row.url,
		secret: row.secret,
		pausedBy: row.pausedBy ?? null,
		pausedReason: row.pausedReason ?? null,
		pausedAt: row.pausedAt ? row.pausedAt.toISOString() : null,
		...packedOptionValues('system', row, previousSecretExpiresAtOf(row)),
	};
}

/** Rows packed and sorted by id ascending, as Misskey's `packMany` does (`localeCompare`). */
export function packSystemWebhooks(rows: readonly SystemWebhookEntity[]): SystemWebhook[] {
	return rows.map(packSystemWebhook).sort((a, b) => a.id.localeCompare(b.id));
}

/** A system webhook as the moderation log gets it: packed, with `hasSecret` instead of the secret (Misskey logs it in clear). */
export type RedactedSystemWebhook = Omit<SystemWebhook, 'secret'> & { hasSecret: boolean };

/** The packed row with its secret replaced by `hasSecret`, for `createSystemWebhook` / `updateSystemWebhook` / `deleteSystemWebhook`. */
export function redactSystemWebhook(row: SystemWebhookEntity): RedactedSystemWebhook {
	const { secret, ...rest } = packSystemWebhook(row);
	return { ...rest, hasSecret: secret !== '' };
}
