import Mustache from 'mustache';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { CompiledTemplate, TemplatePiece } from './compile.js';
import { TEMPLATE_LIMITS } from './template-limits.js';
import type { TemplateProblem } from './template-error.js';

export type RenderResult = { ok: true; body: string } | { ok: false; problem: TemplateProblem };

/**
 * A context that reads only the data's own properties: no prototype, no `constructor`, no `__proto__`, no method of a
 * list or string, and never calls anything. Names are looked up as mustache does: the innermost context holding the
 * whole dotted path wins.
 */
class OwnDataContext extends Mustache.Context {
	override push(view: unknown): Mustache.Context {
		return new OwnDataContext(view, this);
	}

	override lookup(name: string): unknown {
		if (name === '.') return this.view;
		const keys = name.split('.');
		const own = ownPath(this.view, keys);
		if (own.found) return own.value;
		return this.parent ? this.parent.lookup(name) : undefined;
	}
}

// The value at `keys` through own properties of objects, and items of lists by index (not even `length`: the schemas
// have no such field, and the check at save time would have refused it).
function ownPath(view: unknown, keys: readonly string[]): { found: boolean; value?: unknown } {
	let value = view;
	for (const key of keys) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return { found: false };
		if (Array.isArray(value) && !/^\d+$/.test(key)) return { found: false };
		value = (value as Record<string, unknown>)[key];
	}
	return { found: true, value };
}

class RenderLimit extends Error {
	constructor(readonly problem: TemplateProblem) {
		super(problem.reason);
	}
}

type Token = [string, string, number, number, Token[]?, number?];

// Mustache's types call a token string[]; its third element is the offset in the template.
function offsetOf(token: string[]): number {
	return (token as unknown as Token)[2];
}

// The token types mustache's Writer renders: 'name' goes through the escaper, '&' through unescapedValue.
function tokensOf(pieces: readonly TemplatePiece[]): Token[] {
	return pieces.map((piece): Token => {
		switch (piece.kind) {
			case 'text':
				return ['text', piece.text, piece.offset, piece.offset];
			case 'value':
				return [piece.mode === 'json-value' ? '&' : 'name', piece.name, piece.offset, piece.offset];
			case 'section':
			case 'inverted':
				return [piece.kind === 'section' ? '#' : '^', piece.name, piece.offset, piece.offset, tokensOf(piece.children), piece.offset];
		}
	});
}

/**
 * Mustache's Writer with our writing of values: inside a JSON string, the value's text escaped as JSON string content;
 * outside strings, the value as JSON (`null` when absent); in plain text, the value as text. Every piece written counts
 * toward the render's steps and length, and the render stops at the first limit passed. It also remembers where in
 * the template each piece of output came from, so a JSON error in the output can be placed in the template.
 */
class TemplateWriter extends Mustache.Writer {
	steps = 0;
	length = 0;
	/** Output offset and template offset of each piece written, in output order. */
	readonly origins: Array<[number, number]> = [];

	constructor(private readonly isJson: boolean) {
		super();
	}

	override rawValue(token: string[]): string {
		return this.written(token, token[1]);
	}

	override escapedValue(token: string[], context: Mustache.Context): string {
		const value = context.lookup(token[1]);
		return this.written(token, this.isJson ? jsonStringContent(textOf(value)) : textOf(value));
	}

	override unescapedValue(token: string[], context: Mustache.Context): string {
		return this.written(token, jsonValue(context.lookup(token[1])));
	}

	override renderSection(token: string[], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, originalTemplate?: string, config?: Mustache.RenderOptions): string {
		this.step(token);
		// Plain data only: the Writer would call a function as a lambda, so a section over anything else renders nothing.
		const value = context.lookup(token[1]);
		if (typeof value === 'function') return '';
		return super.renderSection(token, context, partials, originalTemplate, config) ?? '';
	}

	private step(token: string[]): void {
		if (++this.steps > TEMPLATE_LIMITS.renderSteps) throw new RenderLimit({ reason: `the render takes more than ${TEMPLATE_LIMITS.renderSteps} steps`, offset: offsetOf(token) });
	}

	private written(token: string[], text: string): string {
		this.step(token);
		this.origins.push([this.length, offsetOf(token)]);
		this.length += text.length;
		if (this.length > TEMPLATE_LIMITS.outputLength) throw new RenderLimit({ reason: `the rendered body is longer than ${TEMPLATE_LIMITS.outputLength} characters`, offset: offsetOf(token) });
		return text;
	}

	/** The template offset the output at `outputOffset` came from. */
	originOf(outputOffset: number): number {
		let origin = 0;
		for (const [output, template] of this.origins) {
			if (output > outputOffset) break;
			origin = template;
		}
		return origin;
	}
}

/** A value as text: strings as they are, numbers and booleans in their usual form, lists and objects as JSON, nothing as ''. */
function textOf(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

// Characters escaped beyond JSON's own: `<`, `>` and `&` so the body can sit in an HTML `<script>` (no `</script>`),
// and the line separators JavaScript source before ES2019 took for line ends.
const HTML_SENSITIVE = /[<>&\u2028\u2029]/g;

function htmlSafe(json: string): string {
	return json.replace(HTML_SENSITIVE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text as the content of a JSON string: quotes, backslashes and control characters escaped; other characters, astral ones too, as they are. */
export function jsonStringContent(text: string): string {
	return htmlSafe(JSON.stringify(text).slice(1, -1));
}

/** A value as JSON, `null` when absent. */
function jsonValue(value: unknown): string {
	return htmlSafe(JSON.stringify(value ?? null));
}

/**
 * Renders a compiled template over `data` (the event's envelope, plain JSON data). For JSON, the result must parse:
 * a result that does not is a failure placed at the template piece that wrote the offending output. Never a partial body.
 */
export function renderTemplate(template: CompiledTemplate, data: unknown): RenderResult {
	const isJson = template.contentType === 'application/json';
	const writer = new TemplateWriter(isJson);
	let body: string;
	try {
		body = writer.renderTokens(tokensOf(template.pieces) as unknown as string[][], new OwnDataContext(data), undefined, template.source, { escape: (text: string) => text });
	} catch (error) {
		if (error instanceof RenderLimit) return { ok: false, problem: error.problem };
		return { ok: false, problem: { reason: `the template could not be rendered: ${error instanceof Error ? error.name : 'error'}`, offset: 0 } };
	}
	if (isJson) {
		const offset = invalidJsonOffset(body);
		if (offset !== null) return { ok: false, problem: { reason: `the rendered body is not valid JSON near "${excerpt(body, offset)}"`, offset: writer.originOf(offset) } };
	}
	return { ok: true, body };
}

/** Where `text` stops being JSON, or null when it parses. */
function invalidJsonOffset(text: string): number | null {
	try {
		JSON.parse(text);
		return null;
	} catch {
		// JSON.parse names no position on every Node version; jsonc-parser, held to strict JSON, does.
		const errors: ParseError[] = [];
		parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
		return errors[0]?.offset ?? 0;
	}
}

function excerpt(text: string, offset: number): string {
	return text.slice(Math.max(0, offset - 20), offset + 20).replace(/\s+/g, ' ');
}
