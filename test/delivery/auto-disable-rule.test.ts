import assert from 'node:assert/strict';
import {
	autoDisableCutoff,
	autoDisableReason,
	describeDurationMs,
	failureStreakChangeOf,
	goneReason,
	PAUSED_REASON_MAX_LENGTH,
	pauseCandidateOf,
} from '../../src/delivery/auto-disable/auto-disable-rule.js';
import { DEFAULT_AUTO_DISABLE_AFTER_MS } from '../../src/config/options.js';
import type { DeliveryOutcome } from '../../src/delivery/retry/outcome.js';
import { normalizeOptions } from '../../src/config/options.js';

const startedAt = new Date('2025-10-01T12:00:00.000Z');
const windowMs = DEFAULT_AUTO_DISABLE_AFTER_MS;

const delivered: DeliveryOutcome = { kind: 'delivered', status: 200 };
const unavailable: DeliveryOutcome = { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false };
const notFound: DeliveryOutcome = { kind: 'final', status: 404, reason: '404 Not Found' };
const gone: DeliveryOutcome = { kind: 'disable', status: 410, reason: '410 Gone' };

describe('auto-disable rules (Svix auto-disable)', () => {
	describe('the failure streak', () => {
		it('a delivered attempt clears it', () => {
			assert.deepEqual(failureStreakChangeOf({ outcome: delivered, startedAt }), { kind: 'clear' });
		});

		it('every other outcome marks a failure at the attempt time', () => {
			for (const outcome of [unavailable, notFound, gone]) {
				assert.deepEqual(failureStreakChangeOf({ outcome, startedAt }), { kind: 'failed', at: startedAt }, outcome.kind);
			}
		});
	});

	describe('which pause an attempt asks for', () => {
		it('410 Gone asks for a pause by `gone` at once, even on the first attempt of many', () => {
			assert.deepEqual(pauseCandidateOf({ outcome: gone, finished: true }, windowMs), {
				cause: 'gone',
				reason: 'The receiver answered 410 Gone: the endpoint says it is gone for good, so no more deliveries are sent.',
			});
		});

		it('a delivery that exhausted its retries asks for an `auto` pause naming the window and the last failure', () => {
			assert.deepEqual(pauseCandidateOf({ outcome: unavailable, finished: true }, windowMs), {
				cause: 'auto',
				reason: 'Every delivery failed for 5 days; the last one exhausted its retries (503 Service Unavailable).',
			});
		});

		it('a final failure (no retry possible) ends the delivery undelivered too', () => {
			assert.deepEqual(pauseCandidateOf({ outcome: notFound, finished: true }, windowMs), {
				cause: 'auto',
				reason: 'Every delivery failed for 5 days; the last one failed without a retry (404 Not Found).',
			});
		});

		it('a failure with retries left asks for nothing', () => {
			assert.equal(pauseCandidateOf({ outcome: unavailable, finished: false }, windowMs), null);
		});

		it('a delivered attempt asks for nothing', () => {
			assert.equal(pauseCandidateOf({ outcome: delivered, finished: true }, windowMs), null);
		});
	});

	it('the cutoff is the window before now: a streak that began at or before it has lasted the window', () => {
		const now = startedAt.getTime();
		assert.equal(autoDisableCutoff(now, windowMs).toISOString(), '2025-09-26T12:00:00.000Z');
		assert.equal(autoDisableCutoff(now, 0).getTime(), now);
	});

	it('durations are said in the largest unit that divides them exactly', () => {
		const cases: Array<[number, string]> = [
			[DEFAULT_AUTO_DISABLE_AFTER_MS, '5 days'],
			[24 * 60 * 60 * 1000, '1 day'],
			[36 * 60 * 60 * 1000, '36 hours'],
			[90_000, '90 seconds'],
			[60_000, '1 minute'],
			[250, '250 milliseconds'],
			[0, '0 milliseconds'],
		];
		for (const [ms, words] of cases) assert.equal(describeDurationMs(ms), words, String(ms));
	});

	it('reasons never exceed the pausedReason column', () => {
		const long: DeliveryOutcome = { kind: 'retry', status: 1, reason: `ECONNRESET: ${'x'.repeat(1000)}`, throttle: false };
		const reason = autoDisableReason(windowMs, long);
		assert.equal(reason.length, PAUSED_REASON_MAX_LENGTH);
		assert.ok(reason.endsWith('…'));
		assert.ok(goneReason({ kind: 'disable', status: 410, reason: `410 ${'y'.repeat(1000)}` }).length <= PAUSED_REASON_MAX_LENGTH);
	});

	describe('option autoDisableAfterMs', () => {
		const base = { serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379' };

		it('defaults to 5 days', () => {
			assert.equal(normalizeOptions(base).autoDisableAfterMs, 5 * 24 * 60 * 60 * 1000);
		});

		it('takes any non-negative number, 0 included', () => {
			assert.equal(normalizeOptions({ ...base, autoDisableAfterMs: 0 }).autoDisableAfterMs, 0);
			assert.equal(normalizeOptions({ ...base, autoDisableAfterMs: 3_600_000 }).autoDisableAfterMs, 3_600_000);
		});

		it('refuses a negative or non-finite window at once', () => {
			for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
				assert.throws(() => normalizeOptions({ ...base, autoDisableAfterMs: bad }), /autoDisableAfterMs must be a number of ms ≥ 0/, String(bad));
			}
		});
	});
});
