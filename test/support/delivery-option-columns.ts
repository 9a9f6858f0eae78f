import { webhookOptionsOf } from '../../src/core/webhook-options.js';

/** The columns we add to both webhook tables: the secret rotation, the failure streak, and every option (user webhooks have more). */
const addedColumnNames = ['previousSecret', 'previousSecretExpiresAt', 'failingSince', ...webhookOptionsOf('user').map((option) => option.name)];

/** A new webhook's delivery option columns when nothing was asked for (spelled out: what the tests expect). */
export const deliveryOptionDefaults = {
	retryPolicy: 'standard',
	sendSecretHeader: true,
	previousSecret: null,
	previousSecretExpiresAt: null,
	failingSince: null,
	format: 'misskey',
	deliveryRate: null,
	deliveryBurst: null,
	template: null,
	templateContentType: 'application/json',
	filter: null,
} as const;

/** A new user webhook's note filter columns when nothing was asked for. */
export const noteFilterDefaults = { excludeSpecifiedNotes: false, excludeFollowersNotes: false } as const;

/**
 * Splits a row into the columns our delivery options added and the rest, so a test asserts Misskey's (and the pause)
 * columns exactly and the added ones on their own.
 */
export function splitDeliveryOptionColumns(row: object): { others: Record<string, unknown>; options: Record<string, unknown> } {
	const added = new Set<string>(addedColumnNames);
	const others: Record<string, unknown> = {};
	const options: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(row)) (added.has(key) ? options : others)[key] = value;
	return { others, options };
}
