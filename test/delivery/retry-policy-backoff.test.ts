import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import type { DeliveryOutcome } from '../../src/delivery/retry/outcome.js';
import { BULL_NO_RETRY, retryBackoffMs } from '../../src/delivery/queue/retry-backoff.js';
import { retryPolicies, type RetryPolicy } from '../../src/delivery/retry/retry-policy.js';
import { WebhookDeliveryFailed } from '../../src/delivery/queue/worker.js';
import { testRedisUrl } from '../support/env.js';

type Failure = Exclude<DeliveryOutcome, { kind: 'delivered' }>;

const rateLimited: Failure = { kind: 'retry', status: 429, reason: '429 Too Many Requests', throttle: true };
const noJitter = () => 0.5;

describe('the queue backoff follows the retry policy', () => {
	// [what, error, attemptsMade, expected]
	const table: Array<[string, unknown, number, number]> = [
		['a throttled retry on the 5 s step waits the 60 s floor', new WebhookDeliveryFailed(rateLimited), 1, 60_000],
		["a retry's Retry-After is clamped to 2× the step", new WebhookDeliveryFailed({ ...rateLimited, retryAfterMs: 3_600_000 }), 2, 600_000],
		['a 503 waits the scheduled step', new WebhookDeliveryFailed({ kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false }), 2, 300_000],
		['a retry past the last attempt is not retried', new WebhookDeliveryFailed(rateLimited), 10, BULL_NO_RETRY],
		['a final outcome is not retried', new WebhookDeliveryFailed({ kind: 'final', status: 404, reason: '404 Not Found' }), 1, BULL_NO_RETRY],
		['a disable outcome is not retried', new WebhookDeliveryFailed({ kind: 'disable', status: 410, reason: '410 Gone' }), 1, BULL_NO_RETRY],
		['an error without outcome waits the scheduled step', new Error('broken'), 1, 5_000],
	];
	for (const [what, error, attemptsMade, expected] of table) {
		it(what, () => assert.equal(retryBackoffMs({ policy: retryPolicies.standard, attemptsMade, error, random: noJitter }), expected));
	}

	describe('on a real Bull queue', () => {
		// Millisecond steps, so the suite stays fast; adaptive, so Retry-After applies.
		const quick: RetryPolicy = { delaysMs: [200, 200], jitter: { minShare: 0, maxShare: 0 }, adaptive: true };
		const none: RetryPolicy = { ...quick, delaysMs: [] };
		const queues: Array<Bull.Queue<{ outcome: Failure }>> = [];

		/** A queue whose custom backoff is `policy`, and whose processor throws the outcome in the job's data. */
		async function queueFollowing(policy: RetryPolicy): Promise<Bull.Queue<{ outcome: Failure }>> {
			const queue = new Bull<{ outcome: Failure }>(`retry-backoff-${randomUUID()}`, testRedisUrl, {
				prefix: `mw-test-backoff-${randomUUID()}`,
				settings: { backoffStrategies: { custom: (attemptsMade: number, error: unknown) => retryBackoffMs({ policy, attemptsMade, error }) } },
			});
			queues.push(queue);
			void queue.process(async (job) => {
				throw new WebhookDeliveryFailed(job.data.outcome);
			});
			await queue.isReady();
			return queue;
		}

		after(async () => {
			for (const queue of queues) {
				await queue.obliterate({ force: true });
				await queue.close();
			}
		});

		/** Adds a job with 3 attempts and waits for its first attempt to end: delayed (with its wait) or failed. */
		async function afterFirstAttempt(queue: Bull.Queue<{ outcome: Failure }>, outcome: Failure) {
			const enqueuedAt = Date.now();
			const added = await queue.add({ outcome }, { attempts: 3, backoff: { type: 'custom' } });
			for (let i = 0; i < 300; i++) {
				const job = (await queue.getJob(added.id))!;
				const state = await job.getState();
				if (state === 'delayed') {
					// Bull stores the due time × 4096 (plus job id bits) as the delayed score.
					const score = Number(await queue.client.zscore(queue.toKey('delayed'), String(job.id)));
					return { state, delayMs: Math.floor(score / 0x1000) - enqueuedAt, job };
				}
				if (state === 'failed') return { state, delayMs: null, job };
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			throw new Error('the job neither failed nor was delayed');
		}

		it('Bull hands the thrown outcome to the backoff, so a Retry-After within 1×–2× sets the wait', async () => {
			const queue = await queueFollowing(quick);
			const { state, delayMs } = await afterFirstAttempt(queue, { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false, retryAfterMs: 300 });
			assert.equal(state, 'delayed');
			assert.ok(delayMs !== null && delayMs >= 300 && delayMs < 300 + 150, `due in ${delayMs} ms`);
		});

		it('without Retry-After the job waits the scheduled step', async () => {
			const queue = await queueFollowing(quick);
			const { state, delayMs } = await afterFirstAttempt(queue, { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false });
			assert.equal(state, 'delayed');
			assert.ok(delayMs !== null && delayMs >= 200 && delayMs < 300, `due in ${delayMs} ms`);
		});

		it("a policy with no next attempt fails the job at once, although the job's attempts are not spent", async () => {
			const queue = await queueFollowing(none);
			const { state, job } = await afterFirstAttempt(queue, { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false });
			assert.equal(state, 'failed');
			assert.equal(job.attemptsMade, 1);
		});
	});
});
