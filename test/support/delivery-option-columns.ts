/** The columns migrations DeliveryOptions1700000400000 and PayloadFormat1700000610000 add to both webhook tables. */
export const deliveryOptionColumnNames = ['retryPolicy', 'sendSecretHeader', 'previousSecret', 'previousSecretExpiresAt', 'failingSince', 'format'] as const;

/** The columns it adds to `webhook` only: the `note` visibility filters. */
export const noteFilterColumnNames = ['excludeSpecifiedNotes', 'excludeFollowersNotes'] as const;

/** A new webhook's delivery option columns when nothing was asked for. */
export const deliveryOptionDefaults = {
	retryPolicy: 'standard',
	sendSecretHeader: true,
	previousSecret: null,
	previousSecretExpiresAt: null,
	failingSince: null,
	format: 'misskey',
} as const;

/** A new user webhook's note filter columns when nothing was asked for. */
export const noteFilterDefaults = { excludeSpecifiedNotes: false, excludeFollowersNotes: false } as const;

/**
 * Splits a row into the columns our delivery options added and the rest, so a test asserts Misskey's (and the pause)
 * columns exactly and the added ones on their own.
 */
export function splitDeliveryOptionColumns(row: object): { others: Record<string, unknown>; options: Record<string, unknown> } {
	const added = new Set<string>([...deliveryOptionColumnNames, ...noteFilterColumnNames]);
	const others: Record<string, unknown> = {};
	const options: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(row)) (added.has(key) ? options : others)[key] = value;
	return { others, options };
}
