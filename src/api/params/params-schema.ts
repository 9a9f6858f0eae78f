/**
 * The subset of JSON Schema our endpoint params use (Misskey's `paramDef` dialect: `nullable` instead of type unions),
 * and `FromSchema`, which turns a schema written `as const` into the handler's param type.
 */
export type ParamSchema =
	| { readonly type: 'string'; readonly enum?: readonly string[]; readonly format?: string; readonly pattern?: string; readonly minLength?: number; readonly maxLength?: number; readonly nullable?: boolean; readonly default?: string | null; readonly headerValue?: boolean }
	| { readonly type: 'boolean'; readonly nullable?: boolean; readonly default?: boolean | null }
	| { readonly type: 'integer' | 'number'; readonly minimum?: number; readonly maximum?: number; readonly nullable?: boolean; readonly default?: number | null }
	| { readonly type: 'array'; readonly items: ParamSchema; readonly minItems?: number; readonly maxItems?: number; readonly uniqueItems?: boolean; readonly uniqueSet?: boolean | number; readonly nullable?: boolean }
	| ObjectParamSchema
	| { readonly anyOf: readonly ParamSchema[]; readonly nullable?: boolean };

/** An object schema; an endpoint's `params` is always one. */
export interface ObjectParamSchema {
	readonly type: 'object';
	readonly properties: Readonly<Record<string, ParamSchema>>;
	readonly required?: readonly string[];
	readonly nullable?: boolean;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type NonNullFromSchema<S> =
	S extends { readonly anyOf: readonly (infer A)[] } ? FromSchema<A>
	: S extends { readonly enum: readonly (infer E)[] } ? E
	: S extends { readonly type: 'string' } ? string
	: S extends { readonly type: 'boolean' } ? boolean
	: S extends { readonly type: 'integer' | 'number' } ? number
	: S extends { readonly type: 'array'; readonly items: infer I } ? FromSchema<I>[]
	: S extends ObjectParamSchema ? ObjectFromSchema<S>
	: never;

// Keys listed in `required`, and keys with a `default` (Ajv's `useDefaults` fills them), are always present.
type PresentKeys<S extends ObjectParamSchema> =
	| (S extends { readonly required: readonly (infer K)[] } ? K & keyof S['properties'] : never)
	| { [K in keyof S['properties']]: S['properties'][K] extends { readonly default: unknown } ? K : never }[keyof S['properties']];

type ObjectFromSchema<S extends ObjectParamSchema> = Simplify<
	{ [K in keyof S['properties'] as K extends PresentKeys<S> ? K : never]: FromSchema<S['properties'][K]> } &
	{ [K in keyof S['properties'] as K extends PresentKeys<S> ? never : K]?: FromSchema<S['properties'][K]> }
>;

/** The value type a schema accepts: `nullable` adds `null`; optional keys become optional properties. */
export type FromSchema<S> = S extends { readonly nullable: true } ? NonNullFromSchema<S> | null : NonNullFromSchema<S>;
