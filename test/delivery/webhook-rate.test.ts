import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { Redis } from 'ioredis';
import type { WebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { deliveryRateOf, MAX_PUSH_BACK_MS, WebhookRateLimiter } from '../../src/delivery/queue/webhook-rate.js';
import { testRedisUrl } from '../support/env.js';

const retry429 = (retryAfterMs?: number) => ({ kind: 'retry' as const, status: 429, reason: '429 Too Many Requests', throttle: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

function jobOf(id: string, data: Partial<WebhookDeliverJobData>): Bull.Job<WebhookDeliverJobData> {
	return { id, data: { webhookId: 'hook', to: 'http://receiver.example/', ...data } } as unknown as Bull.Job<WebhookDeliverJobData>;
}

describe('delivery: the per-webhook delivery rate (docs/rate-limits.md)', () => {
	describe('which rate a delivery is held to', () => {
		it('the webhook\'s own rate, its burst 1 unless given; else the format\'s default; Misskey\'s envelope has none', () => {
			assert.deepEqual(deliveryRateOf({ deliveryRate: 5 }), { perSecond: 5, burst: 1 });
			assert.deepEqual(deliveryRateOf({ deliveryRate: 0.5, deliveryBurst: 10, format: 'discord' }), { perSecond: 0.5, burst: 10 });
			assert.deepEqual(deliveryRateOf({ format: 'discord' }), { perSecond: 2, burst: 1 });
			assert.deepEqual(deliveryRateOf({ format: 'slack', deliveryRate: null, deliveryBurst: null }), { perSecond: 1, burst: 2 });
			assert.deepEqual(deliveryRateOf({ format: 'slack', deliveryBurst: 4 }), { perSecond: 1, burst: 4 });
			assert.deepEqual(deliveryRateOf({ format: 'telegram' }), { perSecond: 20 / 60, burst: 1 });
			assert.deepEqual(deliveryRateOf({ format: 'googlechat' }), { perSecond: 1, burst: 1 });
			assert.deepEqual(deliveryRateOf({ format: 'ntfy' }), { perSecond: 0.2, burst: 60 });
			assert.equal(deliveryRateOf({ format: 'teams' }), null);
			assert.equal(deliveryRateOf({ format: 'gotify' }), null);
			assert.equal(deliveryRateOf({ format: 'misskey' }), null);
			assert.equal(deliveryRateOf({}), null);
			assert.equal(deliveryRateOf({ format: 'misskey', deliveryBurst: 3 }), null);
			assert.equal(deliveryRateOf({ format: 'constructor' as never }), null);
		});
	});

	describe('in Redis, shared by every process', function () {
		this.timeout(20_000);
		const prefix = `mw-test-rate-${randomUUID()}`;
		// Two queues on two connections: two worker processes as Redis sees them.
		let queues: Bull.Queue[];
		let limiters: WebhookRateLimiter[];
		let redis: Redis;

		beforeEach(() => {
			queues = [new Bull('userWebhookDeliver', testRedisUrl, { prefix }), new Bull('userWebhookDeliver', testRedisUrl, { prefix })];
			limiters = queues.map((queue) => new WebhookRateLimiter(queue));
			redis = new Redis(testRedisUrl);
		});
		afterEach(async () => {
			await Promise.all(queues.map((queue) => queue.close()));
			const keys = await redis.keys(`${prefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
			redis.disconnect();
		});

		const reservedSlots = async (webhookId: string) => {
			const flat = await redis.zrange(`${prefix}:userWebhookDeliver:rate:${webhookId}:reserved`, 0, -1, 'WITHSCORES');
			const slots: Array<{ id: string; at: number }> = [];
			for (let index = 0; index < flat.length; index += 2) slots.push({ id: flat[index], at: Number(flat[index + 1]) });
			return slots;
		};

		it('the burst goes at once; each job after it, whichever process asks, reserves the next slot, one interval after the one before', async () => {
			const waits: number[] = [];
			for (let n = 0; n < 10; n++) waits.push(await limiters[n % 2].waitBeforeSending(jobOf(`job-${n}`, { webhookId: 'steady', deliveryRate: 10, deliveryBurst: 3 })));
			assert.deepEqual(waits.slice(0, 3), [0, 0, 0]);
			for (const wait of waits.slice(3)) assert.ok(wait > 0 && wait <= 800, `wait ${wait} ms`);
			const slots = await reservedSlots('steady');
			assert.deepEqual(slots.map((slot) => slot.id), ['job-3', 'job-4', 'job-5', 'job-6', 'job-7', 'job-8', 'job-9']);
			for (let index = 1; index < slots.length; index++) assert.equal(slots[index].at - slots[index - 1].at, 100);
		});

		it('a job back before its slot is told the rest of its wait and keeps its place; once the slot has come it goes, and gives the slot up', async () => {
			const rate = { webhookId: 'back', deliveryRate: 2, deliveryBurst: 1 };
			assert.equal(await limiters[0].waitBeforeSending(jobOf('first', rate)), 0);
			const wait = await limiters[0].waitBeforeSending(jobOf('second', rate));
			assert.ok(wait > 0 && wait <= 500, `wait ${wait} ms`);
			const [slot] = await reservedSlots('back');
			// Back early, in the other process: still waiting, no second slot taken.
			const again = await limiters[1].waitBeforeSending(jobOf('second', rate));
			assert.ok(again > 0 && again <= wait, `wait ${again} ms, first told ${wait} ms`);
			assert.deepEqual(await reservedSlots('back'), [slot]);
			await new Promise((resolve) => setTimeout(resolve, wait + 20));
			assert.equal(await limiters[1].waitBeforeSending(jobOf('second', rate)), 0);
			assert.deepEqual(await reservedSlots('back'), []);
			// The next job queues after the slot the second one used.
			const third = await limiters[0].waitBeforeSending(jobOf('third', rate));
			assert.ok(third > 0 && third <= 500, `wait ${third} ms`);
		});

		it('a 429 with Retry-After holds every delivery of a rate-limited webhook back until then, reserved slots included; without Retry-After, nothing changes', async () => {
			const rate = { webhookId: 'pushed', deliveryRate: 10, deliveryBurst: 1 };
			assert.equal(await limiters[0].waitBeforeSending(jobOf('a', rate)), 0);
			assert.ok(await limiters[0].waitBeforeSending(jobOf('b', rate)) <= 100);
			await limiters[1].heard({ ...jobOf('a', rate).data }, retry429());
			assert.ok(await limiters[0].waitBeforeSending(jobOf('c', rate)) <= 200);
			await limiters[1].heard({ ...jobOf('a', rate).data }, retry429(5000));
			// `b` had a slot within 100 ms; the pause overrides it: it goes after the pause, as does every new job.
			const waitB = await limiters[0].waitBeforeSending(jobOf('b', rate));
			const waitD = await limiters[1].waitBeforeSending(jobOf('d', rate));
			assert.ok(waitB >= 4500 && waitB <= 5000, `b waits ${waitB} ms`);
			assert.ok(waitD >= waitB + 50, `d waits ${waitD} ms, after b`);
			// A longer Retry-After than the cap holds them back only as long as the cap.
			await limiters[0].heard({ ...jobOf('a', rate).data }, retry429(24 * 60 * 60_000));
			const waitE = await limiters[0].waitBeforeSending(jobOf('e', rate));
			assert.ok(waitE > 5000 && waitE <= MAX_PUSH_BACK_MS + 1000, `e waits ${waitE} ms`);
		});

		it('a webhook without a rate asks Redis nothing, and a 429 leaves no state for it', async () => {
			assert.equal(await limiters[0].waitBeforeSending(jobOf('free', { webhookId: 'free' })), 0);
			await limiters[0].heard({ ...jobOf('free', { webhookId: 'free' }).data }, retry429(5000));
			assert.deepEqual(await redis.keys(`${prefix}:userWebhookDeliver:rate:*`), []);
		});
	});
});
