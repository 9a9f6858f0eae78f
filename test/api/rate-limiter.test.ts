import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RedisRateLimiter, createRateLimiter, unlimitedRateLimiter } from '../../src/api/http/rate-limiter.js';
import { testRedisUrl } from '../support/env.js';
import { quietLogger } from '../support/logger.js';

describe('RedisRateLimiter', () => {
	let limiter: RedisRateLimiter;

	before(() => {
		limiter = new RedisRateLimiter(testRedisUrl, `test-rate-limit-${randomBytes(6).toString('hex')}:`);
	});

	after(async () => {
		await limiter.close();
	});

	it('allows max calls in a window and refuses the next, saying when the oldest call leaves the window', async () => {
		const limit = { durationMs: 60_000, max: 3 };
		const startedAt = Date.now();
		for (let n = 0; n < 3; n++) assert.deepEqual(await limiter.consume('full', limit), { allowed: true });
		const refused = await limiter.consume('full', limit);
		assert.equal(refused.allowed, false);
		if (refused.allowed) return;
		assert.equal(refused.info.total, 3);
		assert.equal(refused.info.remaining, 0);
		assert.ok(refused.info.resetMs >= startedAt + 60_000 - 1000 && refused.info.resetMs <= Date.now() + 60_000 + 1000, `resetMs ${refused.info.resetMs}`);
		assert.equal(refused.info.reset, Math.ceil(refused.info.resetMs / 1000));
	});

	it('counts each key on its own', async () => {
		const limit = { durationMs: 60_000, max: 1 };
		assert.equal((await limiter.consume('a', limit)).allowed, true);
		assert.equal((await limiter.consume('a', limit)).allowed, false);
		assert.equal((await limiter.consume('b', limit)).allowed, true);
	});

	it('is a sliding window: a call is allowed again once the oldest one has left it', async () => {
		const limit = { durationMs: 150, max: 1 };
		assert.equal((await limiter.consume('slide', limit)).allowed, true);
		const refused = await limiter.consume('slide', limit);
		assert.equal(refused.allowed, false);
		if (refused.allowed) return;
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, refused.info.resetMs - Date.now()) + 50));
		assert.equal((await limiter.consume('slide', limit)).allowed, true);
	});

	it('does not count refused calls, so hammering does not push the reset further away', async () => {
		const limit = { durationMs: 60_000, max: 1 };
		await limiter.consume('hammer', limit);
		const first = await limiter.consume('hammer', limit);
		const later = await limiter.consume('hammer', limit);
		assert.ok(!first.allowed && !later.allowed);
		if (first.allowed || later.allowed) return;
		assert.equal(later.info.resetMs, first.info.resetMs);
	});
});

describe('createRateLimiter', () => {
	it('with rate limits disabled allows every call and holds no connection', async () => {
		const limiter = createRateLimiter({ enabled: false, redisUrl: testRedisUrl, serverHost: 'disabled.test', logger: quietLogger });
		assert.equal(limiter, unlimitedRateLimiter);
		for (let n = 0; n < 5; n++) assert.deepEqual(await limiter.consume('k', { durationMs: 60_000, max: 1 }), { allowed: true });
		await limiter.close();
	});

	it('keeps the counts of two servers sharing one Redis apart', async () => {
		const suffix = randomBytes(6).toString('hex');
		const one = createRateLimiter({ enabled: true, redisUrl: testRedisUrl, serverHost: `one-${suffix}.test`, logger: quietLogger });
		const two = createRateLimiter({ enabled: true, redisUrl: testRedisUrl, serverHost: `two-${suffix}.test`, logger: quietLogger });
		try {
			const limit = { durationMs: 60_000, max: 1 };
			assert.equal((await one.consume('i/webhooks/test:u1', limit)).allowed, true);
			assert.equal((await one.consume('i/webhooks/test:u1', limit)).allowed, false);
			assert.equal((await two.consume('i/webhooks/test:u1', limit)).allowed, true);
		} finally {
			await one.close();
			await two.close();
		}
	});

});
