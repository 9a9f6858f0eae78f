import assert from 'node:assert/strict';
import { extractLocalMentions } from '../../examples/host/services/mentions.js';

describe('reference host mention parsing (examples/host/services/mentions.ts)', () => {
	const serverHost = 'misskey.example';

	it('names each mentioned local user once, lower-cased, in order of appearance', () => {
		assert.deepEqual(extractLocalMentions('@Bob hi @alice and @BOB again', serverHost), ['bob', 'alice']);
	});

	it('a mention qualified with this server\'s host is local; other hosts are skipped', () => {
		assert.deepEqual(extractLocalMentions('@bob@misskey.example @carol@elsewhere.example', serverHost), ['bob']);
	});

	it('an e-mail address or a word with @ inside is no mention', () => {
		assert.deepEqual(extractLocalMentions('mail bob@example.com or me@home', serverHost), []);
	});

	it('no text means no mentions', () => {
		assert.deepEqual(extractLocalMentions(null, serverHost), []);
	});
});
