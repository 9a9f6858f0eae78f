import type { Ajv } from 'ajv';
import type { ParamSchema } from './params-schema.js';

/**
 * Rules for strings that go to PostgreSQL and into HTTP headers, as Ajv keywords, so a refusal is INVALID_PARAM with
 * `info.param` = the schema path of the broken rule (`#/properties/secret/headerValue`) like every other param error.
 *
 * - `storableText` (added to every string param by `withTextRules`, so params added later are covered too): no NUL,
 *   which PostgreSQL text cannot hold, and no unpaired UTF-16 surrogate, which has no UTF-8 form (the driver would
 *   silently store U+FFFD instead).
 * - `headerValue` (secrets): only what an HTTP header value carries unchanged, since the secret is sent as
 *   `X-Misskey-Hook-Secret`: tab, space and visible ASCII. No CR, LF, NUL or other control characters (no header can
 *   hold them); nothing beyond ASCII (HTTP gives header bytes no character encoding, so receivers decode them
 *   differently); no leading or trailing space or tab, which HTTP parsers strip, so the receiver would never see the
 *   secret as stored.
 */
export const storableTextReason = 'must not contain NUL (U+0000) or an unpaired UTF-16 surrogate';
export const headerValueReason = 'must hold only tab, space and visible ASCII characters, with no leading or trailing space or tab';

// NUL is the very character this rule is about.
// eslint-disable-next-line no-control-regex
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HEADER_VALUE = /^(?:[\x21-\x7E](?:[\t\x20-\x7E]*[\x21-\x7E])?)?$/;

/** Whether PostgreSQL can store the string unchanged (UTF-8 text). */
export function isStorableText(value: string): boolean {
	return !NUL_OR_LONE_SURROGATE.test(value);
}

/** Whether the string can be sent unchanged as an HTTP header value. */
export function isHeaderValue(value: string): boolean {
	return HEADER_VALUE.test(value);
}

/** Our string keywords: each refuses, with its reason, a string it does not hold for. */
const textKeywords = [
	{ keyword: 'storableText', reason: storableTextReason, holds: isStorableText },
	{ keyword: 'headerValue', reason: headerValueReason, holds: isHeaderValue },
] as const;

/** Registers `storableText` and `headerValue` on the params validator. */
export function addTextKeywords(ajv: Ajv): void {
	for (const { keyword, reason, holds } of textKeywords) {
		ajv.addKeyword({
			keyword,
			type: 'string',
			schemaType: 'boolean',
			error: { message: reason },
			validate: (enabled: boolean, data: string) => !enabled || holds(data),
		});
	}
}

/** A copy of a params schema with `storableText` on every string schema, however deep (properties, items, anyOf). */
export function withTextRules<S extends ParamSchema>(schema: S): S {
	const copy: Record<string, unknown> = { ...schema };
	if ('type' in schema && schema.type === 'string') copy.storableText = true;
	if ('properties' in schema) {
		copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, withTextRules(value)]));
	}
	if ('items' in schema) copy.items = withTextRules(schema.items);
	if ('anyOf' in schema) copy.anyOf = schema.anyOf.map((branch) => withTextRules(branch));
	return copy as S;
}

/** The `secret` param of every webhook kind: as long as the column, and sendable as a header. */
export const secretParam = { type: 'string', maxLength: 1024, headerValue: true } as const;
