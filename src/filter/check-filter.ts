import type { WebhookFilter } from '../generated/webhook-filter.js';
import { filterLimits, noteVisibilities } from './filter-limits.js';

/** A filter as given, or where it goes wrong: a JSON pointer into the filter (`/all/2/contains`) and why. */
export type FilterCheck = { ok: true; filter: WebhookFilter } | { ok: false; at: string; reason: string };

type Shape = 'conditions' | 'condition' | 'scalar' | 'scalars' | 'boolean' | 'text' | 'texts' | 'channel' | 'visibility';

/** Every operator, the shape of its value, and whether it reads a `path` (`optional`: `note.tags` when absent). */
const operators: Readonly<Record<string, { shape: Shape; path: 'required' | 'optional' | 'none' }>> = {
	all: { shape: 'conditions', path: 'none' },
	any: { shape: 'conditions', path: 'none' },
	not: { shape: 'condition', path: 'none' },
	equals: { shape: 'scalar', path: 'required' },
	in: { shape: 'scalars', path: 'required' },
	exists: { shape: 'boolean', path: 'required' },
	contains: { shape: 'text', path: 'required' },
	hashtag: { shape: 'texts', path: 'optional' },
	hasFiles: { shape: 'boolean', path: 'none' },
	isReply: { shape: 'boolean', path: 'none' },
	isRenote: { shape: 'boolean', path: 'none' },
	isQuote: { shape: 'boolean', path: 'none' },
	localOnly: { shape: 'boolean', path: 'none' },
	channel: { shape: 'channel', path: 'none' },
	visibility: { shape: 'visibility', path: 'none' },
};

/** The operators a filter may use, in the order docs/filters.md lists them. */
export const filterOperators: readonly string[] = Object.keys(operators);

// A path key: letters, digits, `_` and `-` (a fixed pattern; no expression is ever built from a filter).
const PATH_KEY = /^[A-Za-z0-9_-]+$/;

class FilterProblem extends Error {
	constructor(readonly at: string, readonly reason: string) {
		super(reason);
	}
}

/**
 * Checks a filter as it arrives in `i/webhooks/create` or `update` (or from a stored row): the shape of every condition,
 * each bound of `filterLimits`, and no unknown operator or key. The first problem found is answered, with its place.
 */
export function checkFilter(value: unknown): FilterCheck {
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		json = undefined;
	}
	if (json === undefined) return { ok: false, at: '', reason: 'must be a JSON object' };
	if (json.length > filterLimits.maxJsonLength) return { ok: false, at: '', reason: `is ${json.length} characters of JSON, over the ${filterLimits.maxJsonLength} allowed` };
	const counter = { conditions: 0 };
	try {
		checkCondition(value, '', 1, counter);
	} catch (error) {
		if (error instanceof FilterProblem) return { ok: false, at: error.at, reason: error.reason };
		throw error;
	}
	return { ok: true, filter: value as WebhookFilter };
}

function checkCondition(value: unknown, at: string, depth: number, counter: { conditions: number }): void {
	if (depth > filterLimits.maxDepth) throw new FilterProblem(at, `is nested deeper than ${filterLimits.maxDepth} levels`);
	counter.conditions += 1;
	if (counter.conditions > filterLimits.maxConditions) throw new FilterProblem(at, `is one condition over the ${filterLimits.maxConditions} a filter may hold`);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FilterProblem(at, 'must be an object with one operator');
	const keys = Object.keys(value);
	const named = keys.filter((key) => key !== 'path');
	for (const key of named) {
		if (!Object.hasOwn(operators, key)) throw new FilterProblem(`${at}/${pointerKey(key)}`, `unknown operator "${key.slice(0, 64)}"; known: ${filterOperators.join(', ')}`);
	}
	if (named.length !== 1) throw new FilterProblem(at, named.length === 0 ? 'must have one operator' : `has ${named.length} operators (${named.join(', ')}); wrap them in "all" or "any"`);
	const operator = named[0]!;
	const { shape, path } = operators[operator]!;
	const record = value as Record<string, unknown>;
	if ('path' in record) {
		if (path === 'none') throw new FilterProblem(`${at}/path`, `"${operator}" takes no path`);
		checkPath(record.path, `${at}/path`);
	} else if (path === 'required') {
		throw new FilterProblem(at, `"${operator}" needs a path`);
	}
	checkShape(shape, record[operator], `${at}/${operator}`, depth, counter);
}

function checkShape(shape: Shape, value: unknown, at: string, depth: number, counter: { conditions: number }): void {
	switch (shape) {
		case 'conditions':
			checkList(value, at, Number.POSITIVE_INFINITY).forEach((item, index) => checkCondition(item, `${at}/${index}`, depth + 1, counter));
			return;
		case 'condition':
			checkCondition(value, at, depth + 1, counter);
			return;
		case 'scalar':
			checkScalar(value, at);
			return;
		case 'scalars':
			checkList(value, at, filterLimits.maxValues).forEach((item, index) => checkScalar(item, `${at}/${index}`));
			return;
		case 'boolean':
			if (typeof value !== 'boolean') throw new FilterProblem(at, 'must be true or false');
			return;
		case 'text':
			checkText(value, at);
			return;
		case 'texts':
			checkTexts(value, at);
			return;
		case 'channel':
			if (typeof value !== 'boolean') checkTexts(value, at);
			return;
		case 'visibility':
			for (const [item, itemAt] of Array.isArray(value) ? checkList(value, at, noteVisibilities.length).map((item, index) => [item, `${at}/${index}`] as const) : [[value, at] as const]) {
				if (!(noteVisibilities as readonly unknown[]).includes(item)) throw new FilterProblem(itemAt, `must be one of ${noteVisibilities.join(', ')}`);
			}
			return;
	}
}

function checkList(value: unknown, at: string, max: number): unknown[] {
	if (!Array.isArray(value)) throw new FilterProblem(at, 'must be a list');
	if (value.length === 0) throw new FilterProblem(at, 'must not be empty');
	if (value.length > max) throw new FilterProblem(at, `holds ${value.length} values, over the ${max} allowed`);
	return value;
}

function checkScalar(value: unknown, at: string): void {
	if (typeof value === 'string') checkText(value, at);
	else if (value !== null && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) throw new FilterProblem(at, 'must be a string, a number, true, false or null');
}

function checkText(value: unknown, at: string): void {
	if (typeof value !== 'string') throw new FilterProblem(at, 'must be a string');
	if (value.length === 0 || value.length > filterLimits.maxStringLength) throw new FilterProblem(at, `must be 1 to ${filterLimits.maxStringLength} characters`);
}

function checkTexts(value: unknown, at: string): void {
	if (Array.isArray(value)) checkList(value, at, filterLimits.maxValues).forEach((item, index) => checkText(item, `${at}/${index}`));
	else checkText(value, at);
}

function checkPath(value: unknown, at: string): void {
	if (typeof value !== 'string') throw new FilterProblem(at, 'must be a string of dot-separated keys');
	const keys = value.split('.');
	if (keys.length > filterLimits.maxPathKeys) throw new FilterProblem(at, `has ${keys.length} keys, over the ${filterLimits.maxPathKeys} allowed`);
	for (const key of keys) {
		if (key.length === 0 || key.length > filterLimits.maxPathKeyLength || !PATH_KEY.test(key)) {
			throw new FilterProblem(at, `each key must be 1 to ${filterLimits.maxPathKeyLength} letters, digits, "_" or "-"`);
		}
	}
}

// A key as it stands in a JSON pointer (RFC 6901), cut short so a long hostile key cannot swell the answer.
function pointerKey(key: string): string {
	return key.slice(0, 64).replaceAll('~', '~0').replaceAll('/', '~1');
}
