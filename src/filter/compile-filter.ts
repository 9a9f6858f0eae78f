import type { WebhookFilter } from '../generated/webhook-filter.js';
import { checkFilter } from './check-filter.js';
import { noteConditions } from './note-conditions.js';

import type { FilterTest } from './filter-test.js';

const compiled = new WeakMap<object, FilterTest>();

/**
 * The test of a filter, compiled once per filter object and kept while the object lives (the registry holds one per
 * webhook, so an event costs the conditions, never a parse). A stored filter that no longer checks (a row written by
 * hand, a bound since lowered) refuses every event: a webhook that asked to be sent less must not be sent everything.
 */
export function filterTestOf(filter: WebhookFilter): FilterTest {
	let test = compiled.get(filter);
	if (!test) {
		test = checkFilter(filter).ok ? compile(filter) : refuseAll;
		compiled.set(filter, test);
	}
	return test;
}

const refuseAll: FilterTest = () => false;

function compile(condition: WebhookFilter): FilterTest {
	const c = condition as unknown as Record<string, unknown>;
	if ('all' in c) {
		const tests = (c.all as WebhookFilter[]).map(compile);
		return (body) => tests.every((test) => test(body));
	}
	if ('any' in c) {
		const tests = (c.any as WebhookFilter[]).map(compile);
		return (body) => tests.some((test) => test(body));
	}
	if ('not' in c) {
		const test = compile(c.not as WebhookFilter);
		return (body) => !test(body);
	}
	if ('hashtag' in c) {
		const read = pathReader(typeof c.path === 'string' ? c.path : 'note.tags');
		const wanted = new Set((Array.isArray(c.hashtag) ? c.hashtag as string[] : [c.hashtag as string]).map(normalizeTag));
		return (body) => hasHashtag(read(body), wanted);
	}
	if ('path' in c) {
		const read = pathReader(c.path as string);
		if ('equals' in c) {
			const expected = c.equals;
			return (body) => read(body) === expected;
		}
		if ('in' in c) {
			const values = new Set(c.in as unknown[]);
			return (body) => values.has(read(body));
		}
		if ('exists' in c) {
			const expected = c.exists === true;
			return (body) => {
				const value = read(body);
				return (value !== undefined && value !== null) === expected;
			};
		}
		const needle = (c.contains as string).toLowerCase();
		return (body) => containsText(read(body), needle);
	}
	return noteConditions(c);
}

/** Reads a dot-separated path, own keys only (so `__proto__` or `constructor` lead nowhere); undefined when it breaks. */
export function pathReader(path: string): (body: unknown) => unknown {
	const keys = path.split('.');
	return (body) => {
		let value = body;
		for (const key of keys) {
			if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
			value = (value as Record<string, unknown>)[key];
		}
		return value;
	};
}

function containsText(value: unknown, needle: string): boolean {
	if (typeof value === 'string') return value.toLowerCase().includes(needle);
	if (Array.isArray(value)) return value.some((item) => typeof item === 'string' && item.toLowerCase().includes(needle));
	return false;
}

function normalizeTag(tag: string): string {
	return (tag.startsWith('#') ? tag.slice(1) : tag).toLowerCase();
}

function hasHashtag(value: unknown, wanted: ReadonlySet<string>): boolean {
	if (Array.isArray(value)) return value.some((item) => typeof item === 'string' && wanted.has(normalizeTag(item)));
	if (typeof value === 'string') return textHashtags(value).some((tag) => wanted.has(tag));
	return false;
}

// Characters that end a hashtag in text: white space and ASCII punctuation but `_` (a fixed set, one pass over the text).
const TAG_END = /[\s!-/:-@[-^`{-~]/;

/** The `#tags` written in a text, lowercased, in one pass. */
function textHashtags(text: string): string[] {
	const tags: string[] = [];
	let at = text.indexOf('#');
	while (at !== -1) {
		let end = at + 1;
		while (end < text.length && !TAG_END.test(text[end]!)) end += 1;
		if (end > at + 1) tags.push(text.slice(at + 1, end).toLowerCase());
		at = text.indexOf('#', end);
	}
	return tags;
}
