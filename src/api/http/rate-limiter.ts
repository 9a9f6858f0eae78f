import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { defaultWebhookLogger, type WebhookLogger } from '../../core/logger.js';

/** An endpoint's `limit`: at most `max` calls per caller within any `durationMs` window (Misskey `limit: { duration, max }`). */
export interface RateLimit {
	durationMs: number;
	max: number;
}

/** The limiter state Misskey puts in RATE_LIMIT_EXCEEDED's `info` (its `ratelimiter` fields): `resetMs` is when a call is allowed again. */
export interface RateLimitInfo {
	total: number;
	remaining: number;
	/** Epoch seconds. */
	reset: number;
	/** Epoch milliseconds. */
	resetMs: number;
}

/** Whether a call may proceed; a refusal carries the limiter state for the reply. */
export type RateLimitDecision = { allowed: true } | { allowed: false; info: RateLimitInfo };

/** Counts calls per key; one small interface so the calling convention does not care where counts live. */
export interface RateLimiter {
	/** Records one call under `key` when the window has room, and says whether it was allowed. */
	consume(key: string, limit: RateLimit): Promise<RateLimitDecision>;
	close(): Promise<void>;
}

/** The limiter used when `rateLimit: false`: every call is allowed and nothing is stored. */
export const unlimitedRateLimiter: RateLimiter = {
	consume: async () => ({ allowed: true }),
	close: async () => {},
};

// Sliding window log in one sorted set, atomically: drop entries older than the window, then admit the call if there is
// room. Redis's own clock is used so every process agrees. A refused call is not recorded, so retrying while limited
// does not push the reset further away. Returns { allowed (0/1), calls in window, oldest call's time in ms }.
const consumeScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local duration = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - duration)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < max then
	redis.call('ZADD', KEYS[1], now, ARGV[3])
	count = count + 1
	allowed = 1
end
redis.call('PEXPIRE', KEYS[1], duration)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local oldestMs = now
if oldest[2] then oldestMs = tonumber(oldest[2]) end
return { allowed, count, oldestMs }
`;

type ConsumeReply = [allowed: number, count: number, oldestMs: number];

/** The longest a limited call waits for Redis before it is let through. */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 2000;

/**
 * Limits shared by every process through Redis (key = prefix + endpoint name + caller), so a limit holds across a cluster.
 *
 * It fails open: when Redis cannot answer (down, or slower than `RATE_LIMIT_REDIS_TIMEOUT_MS`), the call is allowed
 * and the outage logged once. The limits guard against a caller hammering the test, redeliver and recover endpoints;
 * refusing every limited call while Redis is away would turn a cache outage into an API outage for everyone, and the
 * sends those endpoints queue need Redis anyway, so little can be abused meanwhile.
 */
export class RedisRateLimiter implements RateLimiter {
	private readonly redis: Redis;
	private failing = false;

	constructor(redisUrl: string, private readonly keyPrefix: string, private readonly logger: WebhookLogger = defaultWebhookLogger()) {
		this.redis = new Redis(redisUrl, {
			lazyConnect: true,
			maxRetriesPerRequest: 1,
			commandTimeout: RATE_LIMIT_REDIS_TIMEOUT_MS,
			retryStrategy: (times) => Math.min(times * 100, 1000),
		});
		// Without a listener ioredis would raise every connection error as an unhandled 'error' event.
		this.redis.on('error', (error: unknown) => this.noteFailure(error));
	}

	async consume(key: string, limit: RateLimit): Promise<RateLimitDecision> {
		let reply: ConsumeReply;
		try {
			reply = await this.redis.eval(consumeScript, 1, `${this.keyPrefix}${key}`, limit.durationMs, limit.max, randomUUID()) as ConsumeReply;
		} catch (error) {
			this.noteFailure(error);
			return { allowed: true };
		}
		if (this.failing) {
			this.failing = false;
			this.logger.info({}, 'rate limiter: Redis answers again; limits are enforced');
		}
		const [allowed, count, oldestMs] = reply.map(Number) as ConsumeReply;
		if (allowed === 1) return { allowed: true };
		const resetMs = oldestMs + limit.durationMs;
		return { allowed: false, info: { total: limit.max, remaining: Math.max(0, limit.max - count), reset: Math.ceil(resetMs / 1000), resetMs } };
	}

	async close(): Promise<void> {
		if (this.redis.status !== 'ready') {
			this.redis.disconnect();
			return;
		}
		await this.redis.quit();
	}

	private noteFailure(error: unknown): void {
		if (this.failing) return;
		this.failing = true;
		this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'rate limiter: Redis cannot be reached; calls are let through unlimited until it is back');
	}
}

/**
 * The limiter for one server: Redis-backed unless `rateLimit` is false. Keys are scoped by the server host, so servers
 * sharing one Redis keep separate counts. (Misskey enforces limits only under NODE_ENV=production; we always do.)
 */
export function createRateLimiter(input: { enabled: boolean; redisUrl: string; serverHost: string; logger: WebhookLogger }): RateLimiter {
	if (!input.enabled) return unlimitedRateLimiter;
	return new RedisRateLimiter(input.redisUrl, `misskey-webhooks:rate-limit:${input.serverHost}:`, input.logger);
}
