import { webhookOptionsOf, type WebhookOptionValues } from '../../core/webhook-options.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';

/** The keys our answers add to Misskey's `UserWebhook` and `SystemWebhook`; Misskey clients ignore them. */
export const webhookPauseKeys = ['pausedBy', 'pausedReason', 'pausedAt'] as const;

/**
 * A row's options as an answer shows them, one key per option the kind has in descriptor order, and when the replaced
 * secret stops signing (`previousSecretExpiresAt`), which stands after `sendSecretHeader`, where answers have always had it.
 */
export function packedOptionValues<Kind extends WebhookKindName>(
	kind: Kind,
	row: WebhookOptionValues<Kind>,
	previousSecretExpiresAt: string | null,
): WebhookOptionValues<Kind> & { previousSecretExpiresAt: string | null } {
	const values: Record<string, unknown> = {};
	for (const option of webhookOptionsOf(kind)) {
		values[option.name] = (row as Record<string, unknown>)[option.name];
		if (option.name === 'sendSecretHeader') values.previousSecretExpiresAt = previousSecretExpiresAt;
	}
	return values as WebhookOptionValues<Kind> & { previousSecretExpiresAt: string | null };
}

/** The options moderators see of a user webhook they do not own (`ModeratorUserWebhook`). */
export function moderatorOptionValues(row: WebhookOptionValues<'user'>): { format: WebhookOptionValues<'user'>['format'] } {
	const values: Record<string, unknown> = {};
	for (const option of webhookOptionsOf('user')) if (option.shownToModerators) values[option.name] = (row as Record<string, unknown>)[option.name];
	return values as { format: WebhookOptionValues<'user'>['format'] };
}
