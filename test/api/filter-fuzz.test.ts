import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { SeededRandom } from './fuzz-params.js';

// FILTER_FUZZ_SEED reproduces a run; FILTER_FUZZ_COUNT makes it longer. A failure names the seed and the filter.
const SEED = Number(process.env.FILTER_FUZZ_SEED ?? 0xf117);
const COUNT = Number(process.env.FILTER_FUZZ_COUNT ?? 1000);

// What filters are made of: every operator and shorthand, unknown and hostile keys, paths real and not, values of every
// JSON type, and sizes around the limits.
const operators = ['all', 'any', 'not', 'equals', 'in', 'exists', 'contains', 'hashtag', 'hasFiles', 'isReply', 'isRenote', 'isQuote', 'localOnly', 'channel', 'visibility', 'regex', 'constructor', '__proto__', 'path', ''];
const paths = ['note.text', 'note.user.username', 'note.tags', 'note.files', 'note.visibility', 'note', '', 'a.b.c.d.e.f.g.h.i', '__proto__.x', 'constructor', 'note..text', 42, null];
const scalars = ['misskey', 'public', '', 'x'.repeat(300), 0, -1, 1.5, true, false, null, {}, [], ['a', 'b'], Array.from({ length: 70 }, (_, i) => `v${i}`)];

function randomCondition(random: SeededRandom, depth: number): unknown {
	const roll = random.int(12);
	if (roll === 0) return random.pick(scalars);
	const operator = random.pick(operators);
	if ((operator === 'all' || operator === 'any') && depth < 9) {
		return { [operator]: Array.from({ length: random.int(random.int(8) === 0 ? 70 : 4) }, () => randomCondition(random, depth + 1)) };
	}
	if (operator === 'not' && depth < 9) return { not: randomCondition(random, depth + 1) };
	const condition: Record<string, unknown> = { [operator]: random.pick(scalars) };
	if (random.int(3) > 0) condition.path = random.pick(paths);
	if (random.int(6) === 0) condition[random.pick(operators)] = random.pick(scalars);
	return condition;
}

describe(`fuzz: generated content filters (seed ${SEED}, ${COUNT} filters)`, function () {
	this.timeout(600_000);
	let api: ApiHarness;
	let receiver: TestReceiver;
	let token: string;
	let hookId: string;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
		const caller = api.host.addUserWithToken();
		token = caller.token;
		hookId = (await api.call('i/webhooks/create', { name: 'fuzz', url: receiver.url('/fuzz'), on: ['note'], filter: { hashtag: 'start' } }, { token })).body.id;
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	it('never a 5xx; every refusal is INVALID_PARAM saying where and stores nothing; an accepted filter is what decides', async () => {
		const random = new SeededRandom(SEED);
		let stored: unknown = { hashtag: 'start' };
		let accepted = 0;
		for (let index = 0; index < COUNT; index++) {
			const filter = randomCondition(random, 0);
			const context = `seed ${SEED}, filter ${index}: ${JSON.stringify(filter).slice(0, 300)}`;
			const updated = await api.call('i/webhooks/update', { webhookId: hookId, filter }, { token });
			assert.ok(updated.status < 500, `${context}: ${updated.status} ${updated.rawBody}`);
			if (updated.status === 204) {
				accepted++;
				stored = filter;
				// The test send says whether the dummy note passes, and never fails on the filter; null clears it (Misskey's 204).
				const verdict = await api.call('i/webhooks/test', { webhookId: hookId, type: 'note' }, { token });
				if (filter === null) assert.equal(verdict.status, 204, `${context}: ${verdict.rawBody}`);
				else {
					assert.equal(verdict.status, 200, `${context}: ${verdict.rawBody}`);
					assert.equal(typeof verdict.body.passesFilter, 'boolean', context);
				}
			} else {
				assert.equal(updated.status, 400, context);
				assert.equal(updated.body.error.code, 'INVALID_PARAM', context);
				const { param, path } = updated.body.error.info;
				// A filter that is no object is the params check's refusal; one that is, the filter's own, with where.
				if (param === 'filter') assert.equal(typeof path, 'string', context);
				else assert.match(String(param), /^#\/properties\/filter/, context);
			}
			const shown = await api.call('i/webhooks/show', { webhookId: hookId }, { token });
			assert.deepEqual(shown.body.filter, stored, `${context}: a refused filter is never stored`);
		}
		assert.ok(accepted > 20 && accepted < COUNT - 20, `the generator reaches both sides: ${accepted} of ${COUNT} accepted`);
	});
});
