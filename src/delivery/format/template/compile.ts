import Mustache from 'mustache';
import type { TemplateContentType } from '../../../core/template-content-type.js';
import { TEMPLATE_LIMITS } from './template-limits.js';
import type { TemplateProblem } from './template-error.js';

/**
 * One piece of a compiled template, as mustache's Writer renders it. A placeholder's type says how its value is
 * written: `json-string` (inside a JSON string: escaped as string content), `json-value` (outside strings: the value as
 * JSON) or `text` (plain text: as it is).
 */
export type TemplatePiece =
	| { kind: 'text'; text: string; offset: number }
	| { kind: 'value'; name: string; mode: 'json-string' | 'json-value' | 'text'; offset: number }
	| { kind: 'section' | 'inverted'; name: string; offset: number; children: TemplatePiece[] };

export interface CompiledTemplate {
	source: string;
	contentType: TemplateContentType;
	pieces: TemplatePiece[];
}

export type CompileResult = { ok: true; template: CompiledTemplate } | { ok: false; problem: TemplateProblem };

/** The tags are always mustache's own; a `{{=<% %>=}}` inside the template changes them for the rest of it only. */
const TAGS: Mustache.OpeningAndClosingTags = ['{{', '}}'];

// A Writer of our own with its cache off: mustache's shared one would keep every template ever parsed.
const parser = new Mustache.Writer();
(parser as unknown as { templateCache: unknown }).templateCache = undefined;

type RawToken = [string, string, number, number, RawToken[]?, number?];

class Refusal extends Error {
	constructor(readonly problem: TemplateProblem) {
		super(problem.reason);
	}
}

/**
 * Parses a template and checks what can be checked without an event: size, syntax, no partials, section depth, and for
 * JSON where each placeholder stands (inside a string or not) and that sections open and close at the same place of
 * the JSON. Fields are checked against the events' schemas separately (schema-fields.ts).
 */
export function compileTemplate(source: string, contentType: TemplateContentType): CompileResult {
	if (source.length > TEMPLATE_LIMITS.templateLength) {
		return refused(`the template is ${source.length} characters long; at most ${TEMPLATE_LIMITS.templateLength} are allowed`, TEMPLATE_LIMITS.templateLength);
	}
	let tokens: RawToken[];
	try {
		tokens = parser.parse(source, TAGS) as RawToken[];
	} catch (error) {
		return refused(`the template does not parse: ${mustacheMessage(error)}`, mustacheOffset(error, source));
	}
	try {
		const state = new JsonPosition(contentType === 'application/json');
		const counter = { tokens: 0 };
		const pieces = piecesOf(tokens, state, 0, counter);
		state.end(source.length);
		return { ok: true, template: { source, contentType, pieces } };
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, problem: error.problem };
		throw error;
	}
}

function refused(reason: string, offset: number): CompileResult {
	return { ok: false, problem: { reason, offset } };
}

function piecesOf(tokens: readonly RawToken[], json: JsonPosition, depth: number, counter: { tokens: number }): TemplatePiece[] {
	const pieces: TemplatePiece[] = [];
	for (const [type, value, start, , children] of tokens) {
		if (++counter.tokens > TEMPLATE_LIMITS.tokens) throw new Refusal({ reason: `the template has more than ${TEMPLATE_LIMITS.tokens} pieces`, offset: start });
		switch (type) {
			case 'text':
				json.read(value, start);
				pieces.push({ kind: 'text', text: value, offset: start });
				break;
			case 'name':
			case '&':
				checkName(value, start);
				pieces.push({ kind: 'value', name: value, mode: json.placeholderMode(start), offset: start });
				break;
			case '#':
			case '^': {
				checkName(value, start);
				if (depth + 1 > TEMPLATE_LIMITS.sectionDepth) throw new Refusal({ reason: `sections nest more than ${TEMPLATE_LIMITS.sectionDepth} deep`, offset: start });
				const before = json.snapshot(start);
				const inner = piecesOf(children ?? [], json, depth + 1, counter);
				json.expect(before, value, start);
				pieces.push({ kind: type === '#' ? 'section' : 'inverted', name: value, offset: start, children: inner });
				break;
			}
			case '>':
				throw new Refusal({ reason: `partials ({{> ${value}}}) are not available: a template is one text`, offset: start });
			default:
				// Comments and delimiter changes leave nothing to render.
				break;
		}
	}
	return pieces;
}

// A name reads the event's own data only: dotted keys, `.` for the current item.
const NAME = /^(?:\.|[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)$/;

function checkName(name: string, offset: number): void {
	if (!NAME.test(name)) throw new Refusal({ reason: `"${name}" is not a field name: use dotted keys such as body.note.text`, offset });
}

/** Where the template's own JSON text stands: inside a string or not, after a backslash, and how deep in brackets. */
class JsonPosition {
	private inString = false;
	private escaped = false;
	private depth = 0;

	constructor(private readonly isJson: boolean) {}

	read(text: string, offset: number): void {
		if (!this.isJson) return;
		for (let index = 0; index < text.length; index++) {
			const char = text[index];
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (char === '\\') this.escaped = true;
				else if (char === '"') this.inString = false;
			} else if (char === '"') {
				this.inString = true;
			} else if (char === '{' || char === '[') {
				if (++this.depth > TEMPLATE_LIMITS.jsonDepth) throw new Refusal({ reason: `the JSON nests more than ${TEMPLATE_LIMITS.jsonDepth} deep`, offset: offset + index });
			} else if (char === '}' || char === ']') {
				this.depth = Math.max(0, this.depth - 1);
			}
		}
	}

	placeholderMode(offset: number): 'json-string' | 'json-value' | 'text' {
		if (!this.isJson) return 'text';
		if (this.escaped) throw new Refusal({ reason: 'a placeholder cannot follow a backslash inside a JSON string', offset });
		return this.inString ? 'json-string' : 'json-value';
	}

	snapshot(offset: number): string {
		if (this.escaped) throw new Refusal({ reason: 'a section cannot follow a backslash inside a JSON string', offset });
		return `${this.inString}`;
	}

	expect(before: string, name: string, offset: number): void {
		if (this.isJson && (this.escaped || `${this.inString}` !== before)) {
			throw new Refusal({ reason: `the section ${name} must end where it started: both inside one JSON string, or both outside strings`, offset });
		}
	}

	end(offset: number): void {
		if (this.isJson && this.inString) throw new Refusal({ reason: 'a JSON string is not closed', offset });
	}
}

function mustacheMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/ at \d+$/, '');
}

// Mustache ends its syntax errors with the offset they were found at.
function mustacheOffset(error: unknown, source: string): number {
	const match = error instanceof Error ? / at (\d+)$/.exec(error.message) : null;
	return match ? Number(match[1]) : source.length;
}
