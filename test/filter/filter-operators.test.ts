import assert from 'node:assert/strict';
import { checkFilter, filterTestOf } from '../../src/filter/index.js';
import { filterLimits } from '../../src/filter/filter-limits.js';
import type { WebhookFilter } from '../../src/generated/webhook-filter.js';
import { createSchemaValidator } from '../../src/schemas.js';

const schemas = createSchemaValidator();

/** A packed note body with only what the tests read; each case overrides what it is about. */
function noteBody(note: Record<string, unknown> = {}): unknown {
	return {
		note: {
			id: 'n1', text: 'Hello #Misskey world', cw: null, visibility: 'public', localOnly: false, replyId: null, renoteId: null,
			channelId: null, fileIds: [], files: [], poll: null, tags: ['misskey'], user: { id: 'u1', host: null, username: 'alice' },
			...note,
		},
	};
}

const followBody = { user: { id: 'u2', host: 'remote.example', username: 'bob' } };

function passes(filter: unknown, body: unknown): boolean {
	const check = checkFilter(filter);
	assert.equal(check.ok, true, JSON.stringify(check));
	// Every filter the check accepts is also valid against the published schema.
	assert.equal(schemas.validate('WebhookFilter', filter).valid, true, JSON.stringify(filter));
	return filterTestOf(filter as WebhookFilter)(body);
}

/** [operator, filter, a body it passes, a body it refuses] */
const cases: Array<[string, unknown, unknown, unknown]> = [
	['equals', { path: 'note.visibility', equals: 'public' }, noteBody(), noteBody({ visibility: 'home' })],
	['equals null', { path: 'note.user.host', equals: null }, noteBody(), noteBody({ user: { host: 'remote.example' } })],
	['in', { path: 'note.user.username', in: ['alice', 'carol'] }, noteBody(), noteBody({ user: { username: 'bob' } })],
	['exists: true', { path: 'note.cw', exists: true }, noteBody({ cw: 'spoiler' }), noteBody()],
	['exists: false', { path: 'note.cw', exists: false }, noteBody(), noteBody({ cw: 'spoiler' })],
	['exists through a list index', { path: 'note.files.0', exists: true }, noteBody({ files: [{ id: 'f1' }] }), noteBody()],
	['contains, ignoring case', { path: 'note.text', contains: 'HELLO' }, noteBody(), noteBody({ text: 'bye' })],
	['contains on a list of texts', { path: 'note.tags', contains: 'miss' }, noteBody(), noteBody({ tags: ['other'] })],
	['hashtag in note.tags by default', { hashtag: ['Fediverse', 'misskey'] }, noteBody(), noteBody({ tags: ['other'] })],
	['hashtag written in a text', { path: 'note.text', hashtag: '#misskey' }, noteBody(), noteBody({ text: 'Hello #MisskeyDev' })],
	['all', { all: [{ path: 'note.visibility', equals: 'public' }, { hashtag: 'misskey' }] }, noteBody(), noteBody({ tags: [] })],
	['any', { any: [{ path: 'note.visibility', equals: 'home' }, { hashtag: 'misskey' }] }, noteBody(), noteBody({ tags: [] })],
	['not', { not: { path: 'note.localOnly', equals: true } }, noteBody(), noteBody({ localOnly: true })],
	['hasFiles: true', { hasFiles: true }, noteBody({ fileIds: ['f1'], files: [{ id: 'f1' }] }), noteBody()],
	['hasFiles: false', { hasFiles: false }, noteBody(), noteBody({ fileIds: ['f1'] })],
	['isReply', { isReply: true }, noteBody({ replyId: 'n0' }), noteBody()],
	['isRenote (pure)', { isRenote: true }, noteBody({ renoteId: 'n0', text: null }), noteBody({ renoteId: 'n0', text: 'quoting' })],
	['isQuote', { isQuote: true }, noteBody({ renoteId: 'n0', text: 'quoting' }), noteBody({ renoteId: 'n0', text: null })],
	['isQuote: false', { isQuote: false }, noteBody(), noteBody({ renoteId: 'n0', cw: 'cw' })],
	['localOnly', { localOnly: true }, noteBody({ localOnly: true }), noteBody()],
	['channel by id', { channel: ['c1', 'c2'] }, noteBody({ channelId: 'c2' }), noteBody({ channelId: 'c3' })],
	['channel: true', { channel: true }, noteBody({ channelId: 'c3' }), noteBody()],
	['channel: false', { channel: false }, noteBody(), noteBody({ channelId: 'c3' })],
	['visibility, one of', { visibility: ['public', 'home'] }, noteBody({ visibility: 'home' }), noteBody({ visibility: 'followers' })],
	['a path on a follow body', { path: 'user.host', equals: 'remote.example' }, followBody, { user: { host: null } }],
];

describe('content filters: each operator passes and refuses', () => {
	for (const [name, filter, passing, refused] of cases) {
		it(name, () => {
			assert.equal(passes(filter, passing), true, 'passes');
			assert.equal(passes(filter, refused), false, 'refuses');
		});
	}

	it('a note shorthand refuses a body without a note, whichever way it asks', () => {
		for (const filter of [{ hasFiles: false }, { isReply: false }, { visibility: 'public' }, { channel: false }]) assert.equal(passes(filter, followBody), false, JSON.stringify(filter));
	});

	it('a path reads own keys only: __proto__ and constructor lead nowhere', () => {
		assert.equal(passes({ path: 'note.constructor', exists: true }, noteBody()), false);
		assert.equal(passes({ path: 'note.__proto__', exists: true }, noteBody()), false);
		assert.equal(passes({ path: 'note.text.length', equals: 20 }, noteBody()), false, 'a string has no keys');
	});

	it('a stored filter that no longer checks refuses every event', () => {
		assert.equal(filterTestOf({ regex: '.*' } as unknown as WebhookFilter)(noteBody()), false);
	});
});

describe('content filters: what the check refuses, and where', () => {
	const nested = (depth: number): unknown => (depth === 1 ? { hasFiles: true } : { not: nested(depth - 1) });
	const refusals: Array<[string, unknown, string, RegExp]> = [
		['not an object', 'hasFiles', '', /must be an object with one operator/],
		['a list', [{ hasFiles: true }], '', /must be an object/],
		['an unknown operator, deep inside', { all: [{ hasFiles: true }, { any: [{ regex: 'a+' }] }] }, '/all/1/any/0/regex', /unknown operator "regex"/],
		['two operators in one object', { hasFiles: true, isReply: true }, '', /has 2 operators/],
		['no operator', { path: 'note.text' }, '', /must have one operator/],
		['a path where none is taken', { path: 'note', hasFiles: true }, '/path', /takes no path/],
		['a missing path', { equals: 1 }, '', /needs a path/],
		['a bad path key', { path: 'note..text', exists: true }, '/path', /each key must be/],
		['too many path keys', { path: 'a.b.c.d.e.f.g.h.i', exists: true }, '/path', /9 keys, over the 8/],
		['an object as a value', { path: 'note.text', equals: { x: 1 } }, '/equals', /must be a string, a number/],
		['an empty list', { any: [] }, '/any', /must not be empty/],
		['too many values', { path: 'a', in: Array.from({ length: 65 }, (_, i) => i) }, '/in', /65 values, over the 64/],
		['a long string', { path: 'note.text', contains: 'x'.repeat(257) }, '/contains', /1 to 256 characters/],
		['an empty contains', { path: 'note.text', contains: '' }, '/contains', /1 to 256 characters/],
		['a non-boolean shorthand', { isReply: 'yes' }, '/isReply', /true or false/],
		['an unknown visibility', { visibility: ['public', 'private'] }, '/visibility/1', /must be one of/],
		['too deep', nested(filterLimits.maxDepth + 1), '/not/not/not/not/not/not', /deeper than 6 levels/],
		['too many conditions', { any: Array.from({ length: 64 }, () => ({ hasFiles: true })) }, '/any/63', /over the 64/],
		['too large', { any: Array.from({ length: 40 }, () => ({ path: 'note.text', contains: 'y'.repeat(250) })) }, '', /characters of JSON, over the 8192/],
	];
	for (const [name, filter, at, reason] of refusals) {
		it(name, () => {
			const check = checkFilter(filter);
			assert.equal(check.ok, false);
			if (check.ok) return;
			assert.equal(check.at, at);
			assert.match(check.reason, reason);
		});
	}

	it(`accepts a filter at every bound: ${filterLimits.maxDepth} levels, ${filterLimits.maxConditions} conditions`, () => {
		assert.equal(checkFilter(nested(filterLimits.maxDepth)).ok, true);
		assert.equal(checkFilter({ any: Array.from({ length: filterLimits.maxConditions - 1 }, () => ({ hasFiles: true })) }).ok, true);
	});
});
