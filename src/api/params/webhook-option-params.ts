import { type webhookOptions, webhookOptionsOf, type NamedWebhookOption, type NumberRange, type WebhookOptionNameOf, type WebhookOptionValues } from '../../core/webhook-options.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';
import { ApiError, commonApiErrors } from '../errors/api-errors.js';

/** A structured option's param: any object or null here, its own check after (`checkStructuredOptions`). */
const structuredParam = { type: 'object', properties: {}, nullable: true } as const;

type ParamOf<Option> = Option extends { readonly range: NumberRange }
	? { readonly type: 'number' | 'integer'; readonly minimum: number; readonly maximum: number; readonly nullable: true }
	: Option extends { readonly column: { readonly type: 'text' } } ? { readonly type: 'string'; readonly nullable: true }
	: Option extends { readonly values: readonly boolean[] } ? { readonly type: 'boolean' }
	: Option extends { readonly values: infer Values extends readonly string[] } ? { readonly type: 'string'; readonly enum: Values }
	: typeof structuredParam;

/** The params of a kind's webhook options, as the endpoint's schema declares them. */
export type WebhookOptionParams<Kind extends WebhookKindName> = {
	readonly [Name in WebhookOptionNameOf<Kind>]: ParamOf<(typeof webhookOptions)[Name]>;
};

/**
 * The params of a kind's webhook options, one per descriptor, without defaults: `create` fills an absent one
 * (`createdOptionValues`), `update` leaves it unchanged (`changedOptionValues`). A value outside the option's values is
 * INVALID_PARAM.
 */
export function webhookOptionParams<Kind extends WebhookKindName>(kind: Kind): WebhookOptionParams<Kind> {
	return Object.fromEntries(webhookOptionsOf(kind).map((option) => [option.name, paramOf(option)])) as WebhookOptionParams<Kind>;
}

function paramOf(option: NamedWebhookOption): object {
	if (option.structured) return structuredParam;
	// A number option's null unsets it (on update too: absent leaves it, null clears it).
	if (option.range) return { type: option.range.integer ? 'integer' : 'number', minimum: option.range.minimum, maximum: option.range.maximum, nullable: true };
	// Free text (a template) is bounded by its own check, which says where in the text a limit is passed.
	if (option.column.type === 'text') return { type: 'string', nullable: true };
	return option.column.type === 'boolean' ? { type: 'boolean' } : { type: 'string', enum: option.values };
}

/**
 * Runs each structured option's own check on a value given (null, unset, always passes): INVALID_PARAM naming the
 * param, the place inside the value as a JSON pointer (`path`), and why, e.g. `filter/all/2: unknown operator "regex"`.
 */
function checkStructuredOptions(kind: WebhookKindName, given: Record<string, unknown>): void {
	for (const option of webhookOptionsOf(kind)) {
		const value = given[option.name];
		if (!option.structured || value === undefined || value === null) continue;
		const check = option.structured(value);
		if (!check.ok) throw new ApiError(commonApiErrors.invalidParam, { param: option.name, path: check.at, reason: `${option.name}${check.at}: ${check.reason}` });
	}
}

/** The options of a created webhook: each as given, or its default (for some, a module option's value); INVALID_PARAM for a structured one that fails its check. */
export function createdOptionValues<Kind extends WebhookKindName>(
	kind: Kind,
	params: object,
	defaults: { defaultRetryPolicy: string },
): WebhookOptionValues<Kind> {
	const given = params as Record<string, unknown>;
	checkStructuredOptions(kind, given);
	const values: Record<string, unknown> = {};
	for (const option of webhookOptionsOf(kind)) values[option.name] = given[option.name] ?? (option.createdFrom ? defaults[option.createdFrom] : option.default);
	return values as WebhookOptionValues<Kind>;
}

/** The options an update changes: those given; an absent one stays as it is; INVALID_PARAM as for create. */
export function changedOptionValues<Kind extends WebhookKindName>(kind: Kind, params: object): Partial<WebhookOptionValues<Kind>> {
	const given = params as Record<string, unknown>;
	checkStructuredOptions(kind, given);
	const changes: Record<string, unknown> = {};
	for (const option of webhookOptionsOf(kind)) if (given[option.name] !== undefined) changes[option.name] = given[option.name];
	return changes as Partial<WebhookOptionValues<Kind>>;
}
