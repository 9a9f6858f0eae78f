import assert from 'node:assert/strict';
import { attemptsFor, MISSKEY_MAX_BACKOFF_MS, retryDelayMs } from '../../src/delivery/retry-policy.js';

const misskey = { retryDelaysMs: null };
const almostOne = () => 0.999_999_999;
const zero = () => 0;

describe('retry policy (§9)', () => {
	it("Misskey's policy makes 4 attempts", () => {
		assert.equal(attemptsFor(misskey), 4);
	});

	it('configured delays make one attempt more than there are delays', () => {
		assert.equal(attemptsFor({ retryDelaysMs: [50, 50, 50] }), 4);
		assert.equal(attemptsFor({ retryDelaysMs: [10] }), 2);
		assert.equal(attemptsFor({ retryDelaysMs: [] }), 1);
	});

	it('the first retry waits 60–72 s', () => {
		assert.equal(retryDelayMs(1, misskey, zero), 60_000);
		assert.equal(retryDelayMs(1, misskey, almostOne), 72_000);
	});

	it('the second retry waits 180–216 s', () => {
		assert.equal(retryDelayMs(2, misskey, zero), 180_000);
		assert.equal(retryDelayMs(2, misskey, almostOne), 216_000);
	});

	it('the third retry waits 420–504 s', () => {
		assert.equal(retryDelayMs(3, misskey, zero), 420_000);
		assert.equal(retryDelayMs(3, misskey, almostOne), 504_000);
	});

	it('jitter is rounded to whole milliseconds', () => {
		assert.equal(retryDelayMs(1, misskey, () => 0.5), 66_000);
		assert.equal(retryDelayMs(1, misskey, () => 0.123_456_7), 60_000 + Math.round(60_000 * 0.123_456_7 * 0.2));
	});

	it('the base is capped at 8 h for large attempt counts, jitter on top', () => {
		assert.equal(retryDelayMs(9, misskey, zero), MISSKEY_MAX_BACKOFF_MS);
		assert.equal(retryDelayMs(40, misskey, zero), MISSKEY_MAX_BACKOFF_MS);
		assert.equal(retryDelayMs(2000, misskey, almostOne), Math.round(MISSKEY_MAX_BACKOFF_MS * 1.2));
		// (2^8 − 1) min = 255 min stays under the cap.
		assert.equal(retryDelayMs(8, misskey, zero), 255 * 60_000);
	});

	it('configured delays are used as they are, without jitter', () => {
		const configured = { retryDelaysMs: [50, 120, 7] };
		assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(n, configured, almostOne)), [50, 120, 7]);
	});

	it('Math.random is the default source of jitter, within 0–20 %', () => {
		for (let i = 0; i < 50; i++) {
			const delay = retryDelayMs(1, misskey);
			assert.ok(delay >= 60_000 && delay <= 72_000, `${delay}`);
		}
	});
});
