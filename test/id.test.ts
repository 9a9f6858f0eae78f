import assert from 'node:assert/strict';
import { generateId } from '../src/store/id.js';

describe('generateId', () => {
	it('matches the misskey:id format and fits varchar(32)', () => {
		const id = generateId();
		assert.match(id, /^[a-zA-Z0-9]+$/);
		assert.ok(id.length <= 32);
	});

	it('sorts in creation order, also within one millisecond', () => {
		const now = Date.now();
		const ids = [generateId(now - 1), generateId(now), generateId(now), generateId(now), generateId(now + 1)];
		assert.deepEqual([...ids].sort(), ids);
		assert.equal(new Set(ids).size, ids.length);
	});
});
