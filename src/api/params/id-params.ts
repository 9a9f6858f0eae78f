import type { ParamSchema } from './params-schema.js';

/** A record id, in Misskey's `misskey:id` format (letters and digits). */
export const idParam = { type: 'string', format: 'misskey:id' } as const;

/** Misskey's pagination: a page of at most 100 (10 by default), after `sinceId` or before `untilId`. */
export const paginationParams = {
	limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
	sinceId: idParam,
	untilId: idParam,
} as const;

/** The params `namingParams` declares: the id under `Key`, then `More`. */
export interface NamingParams<Key extends string, More extends Readonly<Record<string, ParamSchema>>, Required extends readonly string[]> {
	readonly type: 'object';
	readonly properties: { readonly [K in Key]: typeof idParam } & More;
	readonly required: readonly [Key, ...Required];
}

/**
 * The params of an endpoint that names one record by its id under `key` (`id`, `webhookId`, `deliveryId`): the id
 * first and required, then `more`, of which the `required` keys are required too.
 */
export function namingParams<
	const Key extends string,
	const More extends Readonly<Record<string, ParamSchema>> = Record<never, never>,
	const Required extends readonly (keyof More & string)[] = [],
>(key: Key, more?: More, required?: Required): NamingParams<Key, More, Required> {
	return {
		type: 'object',
		properties: { [key]: idParam, ...more } as NamingParams<Key, More, Required>['properties'],
		required: [key, ...(required ?? [])] as unknown as NamingParams<Key, More, Required>['required'],
	};
}
