import assert from 'node:assert/strict';
import {
	attemptsOf,
	configuredRetryPolicy,
	effectiveRetryPolicy,
	MISSKEY_MAX_BACKOFF_MS,
	misskeyBackoffMs,
	retryPolicies,
	scheduledDelayMs,
} from '../../src/delivery/retry/retry-policy.js';
import { isRetryPolicyName } from '../../src/core/retry-policy-name.js';
import { normalizeOptions } from '../../src/config/options.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const zero = () => 0;
const half = () => 0.5;
const almostOne = () => 0.999_999_999;

describe('retry policy presets', () => {
	it('misskey makes 4 attempts and standard 10', () => {
		assert.equal(attemptsOf(retryPolicies.misskey), 4);
		assert.equal(attemptsOf(retryPolicies.standard), 10);
	});

	// [attemptsMade, base, random 0, random 0.5, random → 1]: +0–20 % on top of (2^n − 1) min.
	const misskeyTable: Array<[number, number, number, number, number]> = [
		[1, 1 * MINUTE, 60_000, 66_000, 72_000],
		[2, 3 * MINUTE, 180_000, 198_000, 216_000],
		[3, 7 * MINUTE, 420_000, 462_000, 504_000],
	];
	for (const [attemptsMade, base, low, middle, high] of misskeyTable) {
		it(`misskey waits ${base / MINUTE} min plus 0–20 % after ${attemptsMade} attempt(s)`, () => {
			assert.equal(retryPolicies.misskey.delaysMs[attemptsMade - 1], base);
			assert.equal(scheduledDelayMs(retryPolicies.misskey, attemptsMade, zero), low);
			assert.equal(scheduledDelayMs(retryPolicies.misskey, attemptsMade, half), middle);
			assert.equal(scheduledDelayMs(retryPolicies.misskey, attemptsMade, almostOne), high);
		});
	}

	// [attemptsMade, base]: Standard Webhooks' example schedule.
	const standardTable: Array<[number, number]> = [
		[1, 5 * SECOND],
		[2, 5 * MINUTE],
		[3, 30 * MINUTE],
		[4, 2 * HOUR],
		[5, 5 * HOUR],
		[6, 10 * HOUR],
		[7, 14 * HOUR],
		[8, 20 * HOUR],
		[9, 24 * HOUR],
	];
	for (const [attemptsMade, base] of standardTable) {
		it(`standard waits ${base / SECOND} s ± 20 % after ${attemptsMade} attempt(s)`, () => {
			assert.equal(retryPolicies.standard.delaysMs[attemptsMade - 1], base);
			assert.equal(scheduledDelayMs(retryPolicies.standard, attemptsMade, zero), Math.round(base * 0.8));
			assert.equal(scheduledDelayMs(retryPolicies.standard, attemptsMade, half), base);
			assert.equal(scheduledDelayMs(retryPolicies.standard, attemptsMade, almostOne), Math.round(base * 1.2));
		});
	}

	it('standard spans 75 h 35 min 5 s from the first attempt to the last, without jitter', () => {
		const total = retryPolicies.standard.delaysMs.reduce((sum, delay) => sum + delay, 0);
		assert.equal(total, 75 * HOUR + 35 * MINUTE + 5 * SECOND);
	});

	it("misskey's schedule is Misskey's backoff: (2^n − 1) min, capped at 8 h", () => {
		assert.deepEqual(retryPolicies.misskey.delaysMs, [1, 2, 3].map(misskeyBackoffMs));
		assert.deepEqual(retryPolicies.misskey.delaysMs, [60_000, 180_000, 420_000]);
		assert.equal(misskeyBackoffMs(8), 255 * MINUTE);
		assert.equal(misskeyBackoffMs(9), MISSKEY_MAX_BACKOFF_MS);
		assert.equal(misskeyBackoffMs(2000), MISSKEY_MAX_BACKOFF_MS);
	});

	it('jitter is rounded to whole milliseconds', () => {
		assert.equal(scheduledDelayMs(retryPolicies.misskey, 1, () => 0.123_456_7), 60_000 + Math.round(60_000 * 0.123_456_7 * 0.2));
		assert.ok(Number.isInteger(scheduledDelayMs(retryPolicies.standard, 1, () => 0.333_333_3)));
	});

	it('Math.random is the default source of jitter, within the preset bounds', () => {
		for (let i = 0; i < 50; i++) {
			const misskey = scheduledDelayMs(retryPolicies.misskey, 1);
			const standard = scheduledDelayMs(retryPolicies.standard, 2);
			assert.ok(misskey >= 60_000 && misskey <= 72_000, `${misskey}`);
			assert.ok(standard >= 240_000 && standard <= 360_000, `${standard}`);
		}
	});

	it("past the schedule's end its last delay repeats", () => {
		assert.equal(scheduledDelayMs(retryPolicies.standard, 15, half), 24 * HOUR);
		assert.equal(scheduledDelayMs(retryPolicies.misskey, 9, zero), 7 * MINUTE);
	});

	it('only the preset names are retry policy names', () => {
		assert.ok(isRetryPolicyName('misskey'));
		assert.ok(isRetryPolicyName('standard'));
		for (const value of ['Standard', 'svix', '', 'toString', '__proto__', undefined, 1]) assert.ok(!isRetryPolicyName(value), String(value));
	});
});

describe("the operator's retryDelaysMs", () => {
	it('k configured delays make k + 1 attempts', () => {
		assert.equal(attemptsOf(configuredRetryPolicy([50, 50, 50])), 4);
		assert.equal(attemptsOf(configuredRetryPolicy([10])), 2);
		assert.equal(attemptsOf(configuredRetryPolicy([])), 1);
	});

	it('configured delays are used as they are, without jitter', () => {
		const configured = configuredRetryPolicy([50, 120, 7]);
		assert.deepEqual([1, 2, 3].map((n) => scheduledDelayMs(configured, n, almostOne)), [50, 120, 7]);
		assert.deepEqual([1, 2, 3].map((n) => scheduledDelayMs(configured, n, zero)), [50, 120, 7]);
	});

	it('configured delays win over any preset', () => {
		for (const name of ['misskey', 'standard'] as const) {
			assert.deepEqual(effectiveRetryPolicy({ retryDelaysMs: [5, 6] }, name).delaysMs, [5, 6]);
			assert.equal(effectiveRetryPolicy({ retryDelaysMs: null }, name), retryPolicies[name]);
		}
	});
});

describe('the schedule of a webhook that names no preset', () => {
	const base = { serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379' };

	it("follows the module's defaultRetryPolicy, standard unless set: 10 attempts", () => {
		const options = normalizeOptions(base);
		const policy = effectiveRetryPolicy(options, options.defaultRetryPolicy);
		assert.equal(policy, retryPolicies.standard);
		assert.equal(attemptsOf(policy), 10);
	});

	it("the operator's retryDelaysMs keep their attempt count and exact values, whatever the preset", () => {
		for (const name of ['standard', 'misskey'] as const) {
			assert.equal(attemptsOf(effectiveRetryPolicy({ retryDelaysMs: [10] }, name)), 2);
			assert.equal(attemptsOf(effectiveRetryPolicy({ retryDelaysMs: [] }, name)), 1);
			const policy = effectiveRetryPolicy({ retryDelaysMs: [50, 120] }, name);
			assert.deepEqual([1, 2].map((n) => scheduledDelayMs(policy, n, almostOne)), [50, 120]);
		}
	});

	it("the module option defaultRetryPolicy is 'standard' unless set, and rejects unknown names", () => {
		const base = { serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379' };
		assert.equal(normalizeOptions(base).defaultRetryPolicy, 'standard');
		assert.equal(normalizeOptions({ ...base, defaultRetryPolicy: 'misskey' }).defaultRetryPolicy, 'misskey');
		assert.throws(() => normalizeOptions({ ...base, defaultRetryPolicy: 'svix' as never }), TypeError);
	});
});
