import type { Ajv, SchemaValidateFunction } from 'ajv';

/**
 * The `on` param of every webhook kind: a set of event types. Misskey accepts repeated types, and so do we, but each is
 * kept once (the `uniqueSet` keyword removes repeats, first occurrence first), so what is stored holds at most one entry
 * per event type however long the list sent.
 */
export function eventSetParam<const Types extends readonly string[]>(eventTypes: Types) {
	return { type: 'array', items: { type: 'string', enum: eventTypes }, uniqueSet: true } as const;
}

/**
 * Registers `uniqueSet`: an array param is replaced by itself without repeated items. `true`, or a number: the most
 * distinct items it may hold, counted once the repeats are gone (a list of 20,000 repeats of two types is two).
 */
export function addUniqueSetKeyword(ajv: Ajv): void {
	const uniqueSet: SchemaValidateFunction = (limit: boolean | number, data: unknown[], _parentSchema, context) => {
		const distinct = [...new Set(data)];
		if (limit !== false && context?.parentData !== undefined && context.parentDataProperty !== undefined) {
			(context.parentData as Record<string | number, unknown>)[context.parentDataProperty] = distinct;
		}
		if (typeof limit === 'number' && distinct.length > limit) {
			uniqueSet.errors = [{ keyword: 'uniqueSet', message: `must NOT have more than ${limit} distinct items`, params: { limit } }];
			return false;
		}
		return true;
	};
	ajv.addKeyword({ keyword: 'uniqueSet', type: 'array', schemaType: ['boolean', 'number'], modifying: true, errors: true, validate: uniqueSet });
}

/** How many distinct entries a user webhook's `on` may hold: far above the known types, low enough to bound the row. */
export const MAX_EVENT_SET_ENTRIES = 64;

/**
 * The `on` param of user webhooks: a set of event types where a string the module does not know is the owner's choice,
 * kept and answered as given (a client of a fork may send its own types; it matches no event). Each entry fits the
 * `varchar(128)` column; repeats are kept once, as with {@link eventSetParam}, and what remains is bounded.
 */
export function openEventSetParam() {
	return { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, uniqueSet: MAX_EVENT_SET_ENTRIES } as const;
}
