import type { FilterTest } from './filter-test.js';

/** A packed note as the shorthands read it: only the fields they look at, each possibly absent. */
interface NoteFields {
	text?: unknown;
	cw?: unknown;
	replyId?: unknown;
	renoteId?: unknown;
	files?: unknown;
	fileIds?: unknown;
	poll?: unknown;
	localOnly?: unknown;
	channelId?: unknown;
	visibility?: unknown;
}

/** The note of a body (`note` events and their kin, `reaction`), or null: every shorthand refuses a body without one. */
function noteOf(body: unknown): NoteFields | null {
	if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'note')) return null;
	const note = (body as { note: unknown }).note;
	return typeof note === 'object' && note !== null ? note as NoteFields : null;
}

const present = (value: unknown) => value !== undefined && value !== null;
const nonEmptyList = (value: unknown) => Array.isArray(value) && value.length > 0;

function hasFiles(note: NoteFields): boolean {
	return nonEmptyList(note.files) || nonEmptyList(note.fileIds);
}

// Misskey's pure renote: a renote that adds nothing of its own (no text, content warning, file or poll).
function isPureRenote(note: NoteFields): boolean {
	return present(note.renoteId) && !present(note.text) && !present(note.cw) && !hasFiles(note) && !present(note.poll);
}

const facts: Readonly<Record<string, (note: NoteFields) => boolean>> = {
	hasFiles,
	isReply: (note) => present(note.replyId),
	isRenote: isPureRenote,
	isQuote: (note) => present(note.renoteId) && !isPureRenote(note),
	localOnly: (note) => note.localOnly === true,
};

/**
 * The named note conditions, each a shorthand a core condition could spell only at length: `hasFiles`, `isReply`,
 * `isRenote`, `isQuote` and `localOnly` (true: the note is; false: it is not), `channel` (an id, a list of ids, or
 * true/false for any channel or none) and `visibility` (one or a list).
 */
export function noteConditions(condition: Record<string, unknown>): FilterTest {
	for (const [name, fact] of Object.entries(facts)) {
		if (name in condition) {
			const expected = condition[name] === true;
			return (body) => {
				const note = noteOf(body);
				return note !== null && fact(note) === expected;
			};
		}
	}
	if ('channel' in condition) {
		const channel = condition.channel;
		if (typeof channel === 'boolean') return (body) => {
			const note = noteOf(body);
			return note !== null && present(note.channelId) === channel;
		};
		const ids = new Set(Array.isArray(channel) ? channel : [channel]);
		return (body) => ids.has(noteOf(body)?.channelId);
	}
	const visibilities = new Set(Array.isArray(condition.visibility) ? condition.visibility : [condition.visibility]);
	return (body) => visibilities.has(noteOf(body)?.visibility);
}
