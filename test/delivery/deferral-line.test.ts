import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import { Redis } from 'ioredis';
import { bringBackEarly, deferActiveJob, lineKey, releaseHostLine, returnDeferredJob } from '../../src/delivery/queue/deferral.js';
import { testRedisUrl } from '../support/env.js';

const HOST = 'line.example:8080';

/** Resolves with the job's state once `accept` takes it, polling. */
async function stateOnce(queue: Bull.Queue, id: string, accept: (state: string) => boolean, timeoutMs = 5000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const state = await (await queue.getJob(id))!.getState();
		if (accept(state)) return state;
		if (Date.now() > deadline) throw new Error(`job ${id} stayed ${state}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

// The line of a receiver in Redis: jobs any worker process set aside for it, brought back when it answers again.
describe('delivery: a receiver\'s line of deferred jobs in Redis (docs/fairness.md)', function () {
	this.timeout(20_000);
	let queue: Bull.Queue<{ n: string }>;
	const prefix = `mw-test-line-${randomUUID()}`;

	beforeEach(() => {
		queue = new Bull<{ n: string }>('userWebhookDeliver', testRedisUrl, { prefix });
	});
	afterEach(async () => {
		await queue.close();
		const redis = new Redis(testRedisUrl);
		const keys = await redis.keys(`${prefix}:*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	});

	it('a release brings back the jobs still waiting in the line, but not one that came back and now waits for a real retry', async () => {
		const seen = new Map<string, number>();
		void queue.process(async (job) => {
			const times = (seen.get(job.data.n) ?? 0) + 1;
			seen.set(job.data.n, times);
			// `retrying` steps aside for just over a second, comes back on its own, then fails and waits a minute to retry.
			if (job.data.n === 'retrying' && times === 2) throw new Error('receiver said 503');
			if (times === 1) {
				await deferActiveJob(job, Date.now() + (job.data.n === 'retrying' ? 1100 : 60_000), HOST);
				return 'Deferred';
			}
			return 'Success';
		});
		const retrying = await queue.add({ n: 'retrying' }, { attempts: 2, backoff: { type: 'fixed', delay: 60_000 } });
		await stateOnce(queue, String(retrying.id), (state) => state === 'delayed');
		// Back on its own after its due time, it fails and sits in the delayed set again, this time for its retry.
		await stateOnce(queue, String(retrying.id), () => seen.get('retrying') === 2);
		await stateOnce(queue, String(retrying.id), (state) => state === 'delayed');
		const parked = await queue.add({ n: 'parked' });
		await stateOnce(queue, String(parked.id), (state) => state === 'delayed');

		await releaseHostLine(queue, HOST);
		assert.equal(await stateOnce(queue, String(parked.id), (state) => state === 'completed'), 'completed', 'the job set aside for a minute went at once');
		assert.equal(await (await queue.getJob(String(retrying.id)))!.getState(), 'delayed', 'the retry keeps its wait');
		assert.equal(seen.get('retrying'), 2);
	});

	it('a job brought back at once by the process that deferred it leaves the line', async () => {
		const redis = new Redis(testRedisUrl);
		try {
			let runs = 0;
			void queue.process(async (job) => {
				if (++runs > 1) return 'Success';
				await deferActiveJob(job, Date.now() + 60_000, HOST);
				// The receiver answered while the job was being moved.
				await returnDeferredJob(job, HOST);
				return 'Deferred';
			});
			const job = await queue.add({ n: 'raced' });
			await stateOnce(queue, String(job.id), (state) => state === 'completed');
			assert.deepEqual(await redis.zrange(lineKey(queue, HOST), 0, -1), []);
		} finally {
			redis.disconnect();
		}
	});

	it('a worker process killed halfway through a release leaves the jobs it did not move in the line, and the next release moves them', async function () {
		this.timeout(60_000);
		const redis = new Redis(testRedisUrl);
		try {
			const count = 5000;
			const dueAt = Date.now() + 600_000;
			const jobs = await queue.addBulk(Array.from({ length: count }, (_, i) => ({ data: { n: `parked ${i}` }, opts: { delay: 600_000 } })));
			const key = lineKey(queue, HOST);
			for (let i = 0; i < count; i += 1000) await redis.zadd(key, ...jobs.slice(i, i + 1000).flatMap((job, k) => [dueAt + i + k, String(job.id)]));
			const child = fork(new URL('../support/line-release-child.ts', import.meta.url), [testRedisUrl, prefix, HOST], { execArgv: ['--import', 'tsx'] });
			const exited = new Promise((resolve) => child.once('exit', resolve));
			await new Promise<void>((resolve) => child.once('message', () => resolve()));
			// SIGKILL once the release has moved some jobs back, long before it is through.
			while ((await queue.getWaitingCount()) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
			child.kill('SIGKILL');
			await exited;
			const moved = await queue.getWaitingCount();
			const stillInLine = await redis.zcard(key);
			assert.ok(moved < count, `the release was not cut short (${moved} moved)`);
			assert.ok(stillInLine >= count - moved, `${count - moved} jobs not moved, ${stillInLine} left in the line`);
			await releaseHostLine(queue, HOST);
			assert.equal(await queue.getWaitingCount(), count);
			assert.equal(await queue.getDelayedCount(), 0);
			assert.equal(await redis.zcard(key), 0);
		} finally {
			redis.disconnect();
		}
	});

	it('a release puts the line ahead of the jobs queued since, oldest first; bringing a job back early leaves it alone once it waits for another time', async () => {
		const redis = new Redis(testRedisUrl);
		try {
			const parked = await queue.addBulk([1, 2, 3].map((i) => ({ data: { n: `parked ${i}` }, opts: { delay: 60_000 } })));
			const later = await queue.addBulk([1, 2].map((i) => ({ data: { n: `later ${i}` } })));
			await releaseHostLine(queue, HOST, parked.map((job) => String(job.id)));
			// Workers take from the right end of the list.
			const taken = (await redis.lrange(queue.toKey('wait'), 0, -1)).reverse();
			assert.deepEqual(taken, [...parked, ...later].map((job) => String(job.id)));

			const early = await queue.add({ n: 'early' }, { delay: 60_000 });
			const dueAt = early.timestamp + 60_000;
			// Deferred to another time than the one it is delayed to (a retry since): left alone.
			await bringBackEarly(queue, HOST, [{ jobId: String(early.id), dueAt: dueAt + 1 }]);
			assert.equal(await early.getState(), 'delayed');
			await bringBackEarly(queue, HOST, [{ jobId: String(early.id), dueAt }]);
			assert.equal(await early.getState(), 'waiting');
			assert.equal(await redis.lindex(queue.toKey('wait'), -1), String(early.id), 'next to be taken');
		} finally {
			redis.disconnect();
		}
	});

	it('short deferrals stay out of the line; the line\'s key expires on its own after its last job is due', async () => {
		const redis = new Redis(testRedisUrl);
		try {
			void queue.process(async (job) => {
				await deferActiveJob(job, Date.now() + (job.data.n === 'short' ? 200 : 5_000), HOST);
				return 'Deferred';
			});
			const short = await queue.add({ n: 'short' });
			const long = await queue.add({ n: 'long' });
			await stateOnce(queue, String(long.id), (state) => state === 'delayed');
			await stateOnce(queue, String(short.id), (state) => state === 'delayed');
			const key = lineKey(queue, HOST);
			assert.deepEqual(await redis.zrange(key, 0, -1), [String(long.id)]);
			const ttlMs = await redis.pttl(key);
			assert.ok(ttlMs > 5_000 && ttlMs <= 5_000 + 60 * 60_000, `ttl ${ttlMs} ms`);
		} finally {
			redis.disconnect();
		}
	});
});
