import assert from 'node:assert/strict';
import type { DeliveryOutcome } from '../../src/delivery/retry/outcome.js';
import { configuredRetryPolicy, nextDelayMs, OVERLOAD_FLOOR_MS, retryPolicies, type RetryPolicy } from '../../src/delivery/retry/retry-policy.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// random 0.5 puts the standard preset's ±20 % jitter at 0, so the scheduled delay is the table's base.
const noJitter = () => 0.5;

type RetryOutcome = Extract<DeliveryOutcome, { kind: 'retry' }>;

/** A retry outcome of a 503; each test changes one thing. */
function retry(change: Partial<RetryOutcome> = {}): RetryOutcome {
	return { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false, ...change };
}

function next(outcome: DeliveryOutcome, attemptsMade: number, policy: RetryPolicy = retryPolicies.standard): number | null {
	return nextDelayMs({ policy, attemptsMade, outcome, random: noJitter });
}

describe('next delay: Retry-After', () => {
	// [what, attemptsMade (scheduled delay), retryAfterMs, expected]
	const table: Array<[string, number, number, number]> = [
		['below 1× the scheduled delay is raised to 1×', 2, 10 * SECOND, 5 * MINUTE],
		['zero (a date already past) is raised to 1×', 2, 0, 5 * MINUTE],
		['within 1×–2× is kept', 2, 7 * MINUTE, 7 * MINUTE],
		['exactly 2× is kept', 2, 10 * MINUTE, 10 * MINUTE],
		['above 2× is cut to 2×', 2, 3 * HOUR, 10 * MINUTE],
		['on the 24 h step, a week is cut to 48 h', 9, 7 * 24 * HOUR, 48 * HOUR],
	];
	for (const [what, attemptsMade, retryAfterMs, expected] of table) {
		it(`a Retry-After ${what}`, () => assert.equal(next(retry({ retryAfterMs }), attemptsMade), expected));
	}

	it('without Retry-After the scheduled delay applies', () => {
		assert.equal(next(retry(), 2), 5 * MINUTE);
		assert.equal(next(retry(), 1), 5 * SECOND);
	});

	it('the clamp works on the jittered delay', () => {
		const low = () => 0;
		assert.equal(nextDelayMs({ policy: retryPolicies.standard, attemptsMade: 2, outcome: retry({ retryAfterMs: 1 }), random: low }), 4 * MINUTE);
		assert.equal(nextDelayMs({ policy: retryPolicies.standard, attemptsMade: 2, outcome: retry({ retryAfterMs: HOUR }), random: low }), 8 * MINUTE);
	});

	it('the misskey preset honours Retry-After on its own schedule', () => {
		const zero = () => 0;
		assert.equal(nextDelayMs({ policy: retryPolicies.misskey, attemptsMade: 1, outcome: retry({ retryAfterMs: 90 * SECOND }), random: zero }), 90 * SECOND);
		assert.equal(nextDelayMs({ policy: retryPolicies.misskey, attemptsMade: 1, outcome: retry({ retryAfterMs: HOUR }), random: zero }), 2 * MINUTE);
	});
});

describe('next delay: the 60 s floor after a 429 or a timeout', () => {
	const rateLimited = retry({ status: 429, reason: '429 Too Many Requests', throttle: true });
	const timedOut: RetryOutcome = { kind: 'retry', status: 1, reason: 'timeout', throttle: true };

	// [what, outcome, attemptsMade, expected]
	const table: Array<[string, DeliveryOutcome, number, number]> = [
		['a 429 on the 5 s step waits 60 s', rateLimited, 1, OVERLOAD_FLOOR_MS],
		['a timeout on the 5 s step waits 60 s', timedOut, 1, OVERLOAD_FLOOR_MS],
		['a 429 asking 10 s on the 5 s step still waits 60 s', { ...rateLimited, retryAfterMs: 10 * SECOND }, 1, OVERLOAD_FLOOR_MS],
		['a 429 on the 5 min step keeps 5 min', rateLimited, 2, 5 * MINUTE],
		['a timeout on the 30 min step keeps 30 min', timedOut, 3, 30 * MINUTE],
		['a 429 asking 7 min on the 5 min step waits 7 min', { ...rateLimited, retryAfterMs: 7 * MINUTE }, 2, 7 * MINUTE],
		['a 503 on the 5 s step is not floored', retry(), 1, 5 * SECOND],
	];
	for (const [what, outcome, attemptsMade, expected] of table) {
		it(what, () => assert.equal(next(outcome, attemptsMade), expected));
	}

	it("the floor holds under the preset's lowest jitter", () => {
		assert.equal(nextDelayMs({ policy: retryPolicies.standard, attemptsMade: 1, outcome: timedOut, random: () => 0 }), OVERLOAD_FLOOR_MS);
	});
});

describe('next delay: when there is none', () => {
	const ended: Array<[string, DeliveryOutcome]> = [
		['delivered', { kind: 'delivered', status: 200 }],
		['final', { kind: 'final', status: 404, reason: '404 Not Found' }],
		['disable', { kind: 'disable', status: 410, reason: '410 Gone' }],
	];
	for (const [kind, outcome] of ended) {
		it(`a ${kind} outcome has no next delay`, () => {
			assert.equal(next(outcome, 1), null);
			assert.equal(next(outcome, 1, retryPolicies.misskey), null);
		});
	}

	it("a retry after the policy's last attempt has no next delay", () => {
		assert.equal(next(retry(), 9), 24 * HOUR);
		assert.equal(next(retry(), 10), null);
		// random 0.5 is +10 % on the misskey preset.
		assert.equal(next(retry(), 3, retryPolicies.misskey), 462_000);
		assert.equal(next(retry(), 4, retryPolicies.misskey), null);
	});
});

describe("next delay: the operator's exact timetable (retryDelaysMs)", () => {
	const configured = configuredRetryPolicy([20, 40]);

	it('is used as given: Retry-After and the floor do not stretch it', () => {
		assert.equal(next(retry({ retryAfterMs: HOUR }), 1, configured), 20);
		assert.equal(next(retry({ status: 429, throttle: true }), 2, configured), 40);
		assert.equal(next({ kind: 'retry', status: 1, reason: 'timeout', throttle: true }, 1, configured), 20);
	});

	it('ends after one attempt more than its delays', () => {
		assert.equal(next(retry(), 3, configured), null);
		assert.equal(next(retry(), 1, configuredRetryPolicy([])), null);
	});
});
