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
