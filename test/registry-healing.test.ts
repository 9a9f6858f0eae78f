import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WebhookStore } from '../src/store/webhook-store.js';
import { WebhookRegistry } from '../src/registry/webhook-registry.js';
import { RedisRateLimiter } from '../src/api/http/rate-limiter.js';
import { generateId } from '../src/store/id.js';
import { createMigratedDataSource } from './support/database.js';
import { testDatabaseUrl } from './support/env.js';
import { OwnRedis } from './support/own-redis.js';
import type { FromChild, ToChild } from './support/registry-child.js';
import { CapturingLogger } from './support/logger.js';
import { eventuallyTrue } from './support/eventually.js';

/** A registry in another process, talking over the fork channel. */
class ChildRegistry {
	readonly reports: FromChild[] = [];
	readonly stderr: string[] = [];
	exited = false;

	constructor(private readonly child: ChildProcess) {
		child.on('message', (message: FromChild) => this.reports.push(message));
		child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
		child.on('exit', () => {
			this.exited = true;
		});
	}

	static async start(channel: string, redisUrl: string): Promise<ChildRegistry> {
		const child = fork(new URL('./support/registry-child.ts', import.meta.url), {
			execArgv: ['--import', 'tsx'],
			env: { ...process.env, REGISTRY_CHILD_CHANNEL: channel, TEST_DATABASE_URL: testDatabaseUrl, TEST_REDIS_URL: redisUrl },
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
		});
		const registry = new ChildRegistry(child);
		await registry.waitFor((message) => message.kind === 'ready');
		return registry;
	}

	send(message: ToChild): void {
		this.child.send(message);
	}

	async waitFor(accept: (message: FromChild) => boolean, timeoutMs = 30_000): Promise<FromChild> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.reports.find(accept);
			if (found) return found;
			if (this.exited) throw new Error(`the child registry exited: ${this.stderr.join('')}`);
			if (Date.now() > deadline) throw new Error(`no such report within ${timeoutMs} ms; got ${JSON.stringify(this.reports)}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** The ids the child matched last for the watched owner. */
	lastMatched(ownerId: string): string[] | undefined {
		const matched = this.reports.filter((m): m is Extract<FromChild, { kind: 'matched' }> => m.kind === 'matched' && m.ownerId === ownerId);
		return matched.at(-1)?.ids;
	}

	async stop(): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.send({ kind: 'stop' });
		await exited;
	}
}

const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();

describe('the registry heals after a Redis outage', function () {
	this.timeout(120_000);
	let dataSource: DataSource;
	let store: WebhookStore;
	let redis: OwnRedis;
	// Every server a test started, so a test that fails or times out still leaves none behind.
	const started: OwnRedis[] = [];
	const startRedis = async () => {
		const own = await OwnRedis.start();
		started.push(own);
		return own;
	};

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
	});
	after(async () => {
		for (const own of started) await own.kill();
		await dataSource.destroy();
	});

	it('changes made by another process while Redis was down reach every registry once it is back', async () => {
		redis = await startRedis();
		const channel = `heal-${randomUUID()}`;
		const ownerId = generateId();
		const before = await store.create({ userId: ownerId, name: 'before', url: 'https://receiver.example/a', secret: '', on: ['note'] });
		const logger = new CapturingLogger();
		const warnings = logger.lines;
		const here = await WebhookRegistry.start({ store, redisUrl: redis.url, channel, logger });
		const watcher = await ChildRegistry.start(channel, redis.url);
		const writer = await ChildRegistry.start(channel, redis.url);
		try {
			for (const child of [watcher, writer]) child.send({ kind: 'watch', ownerId, type: 'note' });
			await eventuallyTrue(() => watcher.lastMatched(ownerId)?.[0] === before.id && writer.lastMatched(ownerId)?.[0] === before.id, 'start', 30_000);

			await redis.kill();
			// The writer changes webhooks as the API would while Redis is away: its announcements cannot be published.
			writer.send({ kind: 'deactivate', ownerId, id: before.id });
			await writer.waitFor((m) => m.kind === 'deactivated');
			writer.send({ kind: 'create', ownerId, on: ['note'] });
			const created = await writer.waitFor((m) => m.kind === 'created') as Extract<FromChild, { kind: 'created' }>;
			// The writer applied its own changes at once; the others cannot know yet.
			await eventuallyTrue(() => writer.lastMatched(ownerId)?.[0] === created.id, 'the writer sees its own change', 30_000);
			assert.deepEqual(here.match(ownerId, 'note').map((row) => row.id), [before.id]);

			await redis.restart();
			await eventuallyTrue(() => sorted(here.match(ownerId, 'note').map((row) => row.id)).join() === created.id, 'this process', 30_000);
			await eventuallyTrue(() => sorted(watcher.lastMatched(ownerId)).join() === created.id, 'the watcher', 30_000);
			assert.deepEqual(writer.lastMatched(ownerId), [created.id]);
			assert.equal(watcher.exited || writer.exited, false, 'no process died of the outage');
			assert.ok(warnings.some((line) => line.includes('Redis connection')), warnings.join('\n'));

			// And the channel works again for ordinary announcements.
			const after = await store.create({ userId: ownerId, name: 'after', url: 'https://receiver.example/b', secret: '', on: ['note'] });
			await here.announce('webhookCreated', after);
			await eventuallyTrue(() => sorted(watcher.lastMatched(ownerId)).join() === sorted([created.id, after.id]).join(), 'an announcement after the outage', 30_000);
		} finally {
			await Promise.all([watcher.stop(), writer.stop()]);
			await here.close();
			await redis.kill();
		}
	});

	it('a change this process could not publish (only its own connection was down) makes every process reload once it is back', async () => {
		redis = await startRedis();
		const channel = `heal-${randomUUID()}`;
		const ownerId = generateId();
		const logger = new CapturingLogger();
		const warnings = logger.lines;
		const here = await WebhookRegistry.start({ store, redisUrl: redis.url, channel, logger });
		const watcher = await ChildRegistry.start(channel, redis.url);
		try {
			watcher.send({ kind: 'watch', ownerId, type: 'note' });
			await watcher.waitFor((m) => m.kind === 'matched' && m.ownerId === ownerId);
			// Only this process's publishing connection drops; the watcher's subscription never notices anything.
			const publisher = (here as any).sync.publisher;
			publisher.disconnect();
			const row = await store.create({ userId: ownerId, name: 'unannounced', url: 'https://receiver.example/d', secret: '', on: ['note'] });
			await here.announce('webhookCreated', row);
			assert.deepEqual(here.match(ownerId, 'note').map((r) => r.id), [row.id]);
			assert.ok(warnings.some((line) => line.includes('could not be announced')), warnings.join('\n'));
			await new Promise((resolve) => setTimeout(resolve, 300));
			assert.deepEqual(watcher.lastMatched(ownerId), []);
			publisher.connect();
			await eventuallyTrue(() => sorted(watcher.lastMatched(ownerId)).join() === row.id, 'the watcher after the resync request', 30_000);
		} finally {
			await watcher.stop();
			await here.close();
			await redis.kill();
		}
	});

	it('a registry that starts reloading while PostgreSQL is unreachable keeps trying until it succeeds', async () => {
		redis = await startRedis();
		const ownerId = generateId();
		let failuresLeft = 3;
		const logger = new CapturingLogger();
		const warnings = logger.lines;
		const here = await WebhookRegistry.start({ store, redisUrl: redis.url, channel: `heal-${randomUUID()}`, logger });
		try {
			const row = await store.create({ userId: ownerId, name: 'late', url: 'https://receiver.example/c', secret: '', on: ['follow'] });
			// Let the next reads fail as an unreachable database would.
			const original = store.forEachActiveCompact.bind(store);
			store.forEachActiveCompact = async (layout, visit) => {
				if (failuresLeft-- > 0) throw new Error('connect ECONNREFUSED');
				return original(layout, visit);
			};
			await redis.kill();
			await redis.restart();
			await eventuallyTrue(() => here.match(ownerId, 'follow').length === 1 && here.match(ownerId, 'follow')[0]!.id === row.id, 'reload after retries', 30_000);
			assert.ok(warnings.filter((line) => line.includes('reloading the active webhooks failed')).length >= 1, warnings.join('\n'));
		} finally {
			await here.close();
			await redis.kill();
		}
	});

	it('the rate limiter fails open while Redis is away, without an unhandled error, and limits again once it is back', async () => {
		redis = await startRedis();
		const logger = new CapturingLogger();
		const warnings = logger.lines;
		const limiter = new RedisRateLimiter(redis.url, `heal-${randomUUID()}:`, logger);
		const limit = { durationMs: 60_000, max: 1 };
		try {
			assert.equal((await limiter.consume('caller', limit)).allowed, true);
			assert.equal((await limiter.consume('caller', limit)).allowed, false);
			await redis.kill();
			for (let i = 0; i < 3; i++) assert.equal((await limiter.consume('caller', limit)).allowed, true);
			assert.equal(warnings.filter((line) => line.includes('cannot be reached')).length, 1, warnings.join('\n'));
			await redis.restart();
			// The new server starts empty: one call is allowed again, then the limit holds.
			const deadline = Date.now() + 30_000;
			while ((await limiter.consume('caller', limit)).allowed) {
				if (Date.now() > deadline) throw new Error('the limit never held again');
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			assert.ok(warnings.some((line) => line.includes('answers again')), warnings.join('\n'));
		} finally {
			await limiter.close();
			await redis.kill();
		}
	});
});
