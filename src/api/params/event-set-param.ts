import type { Ajv } from 'ajv';

/**
 * The `on` param of every webhook kind: a set of event types. Misskey accepts repeated types, and so do we, but each is
 * kept once (the `uniqueSet` keyword removes repeats, first occurrence first), so what is stored holds at most one entry
 * per event type however long the list sent.
 */
export function eventSetParam<const Types extends readonly string[]>(eventTypes: Types) {
	return { type: 'array', items: { type: 'string', enum: eventTypes }, uniqueSet: true } as const;
}

/** Registers `uniqueSet`: an array param is replaced by itself without repeated items. */
export function addUniqueSetKeyword(ajv: Ajv): void {
	ajv.addKeyword({
		keyword: 'uniqueSet',
		type: 'array',
		schemaType: 'boolean',
		modifying: true,
		validate: (enabled: boolean, data: unknown[], _parentSchema, context) => {
			if (enabled && context?.parentData !== undefined && context.parentDataProperty !== undefined) {
				(context.parentData as Record<string | number, unknown>)[context.parentDataProperty] = [...new Set(data)];
			}
			return true;
		},
	});
}

/** How many entries a user webhook's `on` may be sent with: far above the known types, low enough to bound the row. */
export const MAX_EVENT_SET_ENTRIES = 64;

/**
 * The `on` param of user webhooks: a set of event types where a string the module does not know is the owner's choice,
 * kept and answered as given (a client of a fork may send its own types; it matches no event). Each entry fits the
 * `varchar(128)` column; the list is bounded; repeats are kept once, as with {@link eventSetParam}.
 */
export function openEventSetParam() {
	return { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, maxItems: MAX_EVENT_SET_ENTRIES, uniqueSet: true } as const;
}
