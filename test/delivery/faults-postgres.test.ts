import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { normalizeOptions } from '../../src/config/options.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { webhookEntities } from '../../src/store/entities.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testDatabaseUrl, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { CapturingLogger, sampleBody } from './fixture.js';
import { attemptRowsOf, deliveryRowsOf, until } from './outbox-fixture.js';

describe('delivery: PostgreSQL unreachable for a while', () => {
	let direct: DataSource;
	let proxy: TcpProxy;
	let throughProxy: DataSource;
	let delivery: UserWebhookDelivery;
	let receiver: TestReceiver;
	let store: WebhookStore;
	const logger = new CapturingLogger();
	const queuePrefix = `mw-test-pg-outage-${randomUUID()}`;

	before(async () => {
		// The suite reads and sets up through its own connection; the module's goes through a proxy it can lose.
		direct = await createMigratedDataSource();
		store = new WebhookStore(direct);
		proxy = await TcpProxy.forUrl(testDatabaseUrl, 5432);
		throughProxy = new DataSource({ type: 'postgres', url: proxy.url(testDatabaseUrl), entities: webhookEntities, logging: false });
		await throughProxy.initialize();
		receiver = await new TestReceiver().start();
		const options = normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: testRedisUrl, queuePrefix, retryDelaysMs: [50, 50], allowedPrivateNetworks: testAllowedPrivateNetworks, workerConcurrency: 4, concurrencyPerTargetHost: 4 });
		delivery = new UserWebhookDelivery({ dataSource: throughProxy, options, logger });
		await delivery.startWorker();
	});
	after(async () => {
		proxy.restore();
		await delivery.close();
		await throughProxy.destroy();
		await proxy.close();
		await receiver.close();
		await direct.destroy();
		const redis = new Redis(testRedisUrl);
		const keys = await redis.keys(`${queuePrefix}:*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	});

	const hooksAt = (path: string, count: number): Promise<WebhookEntity[]> =>
		Promise.all(Array.from({ length: count }, (_, i) => store.create({ userId: `owner${i}`, name: 'pg outage', url: receiver.url(path), secret: 's', on: ['note'] })));

	it('attempts made while it is away are written once it is back: every row ends delivered, its attempt and status recorded', async () => {
		const hooks = await hooksAt('/pg-away', 20);
		receiver.replyAlways({ status: 204, delayMs: 20 });
		await delivery.enqueue(hooks, 'note', sampleBody);
		proxy.cut();
		try {
			await receiver.waitForRequests(20, 5000, '/pg-away');
			await new Promise((resolve) => setTimeout(resolve, 300));
			const [{ written }] = await direct.query(`SELECT count(*)::int AS written FROM "webhook_delivery_attempt" "a" JOIN "webhook_delivery" "d" ON "d"."id" = "a"."deliveryId" WHERE "d"."url" = $1`, [receiver.url('/pg-away')]);
			assert.equal(written, 0, 'nothing could be written meanwhile');
		} finally {
			proxy.restore();
		}
		const rows = await until(() => Promise.all(hooks.map((hook) => deliveryRowsOf(direct, hook.id))), (all) => all.every((r) => r[0]?.status === 'delivered'), 10_000);
		for (const [row] of rows) {
			assert.deepEqual((await attemptRowsOf(direct, row.id)).map((a) => [a.number, a.status]), [[1, 204]]);
			assert.equal(row.attempts, 1);
		}
		const statuses = await Promise.all(hooks.map(async (hook) => (await store.repository.findOneByOrFail({ id: hook.id })).latestStatus));
		assert.deepEqual(new Set(statuses), new Set([204]));
		assert.match(logger.lines.join('\n'), /attempt log write failed, will retry/);
		assert.match(logger.lines.join('\n'), /attempt log writes resumed/);
	});

	it('a reconciler pass right after it is back sends nothing again: the attempts still waiting to be written are written first', async () => {
		const hooks = await hooksAt('/pg-away-reconcile', 10);
		receiver.replyAlways({ status: 204 });
		await delivery.enqueue(hooks, 'note', sampleBody);
		proxy.cut();
		try {
			await receiver.waitForRequests(10, 5000, '/pg-away-reconcile');
			// Long enough for the attempt log's retries to back off past the reconciler's settle time (1 s).
			await new Promise((resolve) => setTimeout(resolve, 3500));
		} finally {
			proxy.restore();
		}
		// A busy queue trims its finished jobs soon; then these rows, still pending, have no job behind them.
		await delivery.queue.clean(0, 'completed');
		const report = await delivery.reconcile();
		assert.deepEqual(report, { checked: 10, requeued: 0, exhausted: 0 });
		for (const hook of hooks) {
			const [row] = await deliveryRowsOf(direct, hook.id);
			assert.deepEqual([row.status, row.attempts], ['delivered', 1]);
		}
		assert.equal((await receiver.settle(300)).filter((r) => r.path === '/pg-away-reconcile').length, 10, 'each sent once');
	});

	it('an event raised while it is away is still delivered, without an outbox row', async () => {
		const hooks = await hooksAt('/pg-away-at-enqueue', 3);
		receiver.replyAlways({ status: 200 });
		proxy.cut();
		try {
			await delivery.enqueue(hooks, 'note', sampleBody);
			const requests = await receiver.waitForRequests(3, 5000, '/pg-away-at-enqueue');
			assert.deepEqual(new Set(requests.map((r) => r.json.hookId)), new Set(hooks.map((hook) => hook.id)));
		} finally {
			proxy.restore();
		}
		assert.match(logger.lines.join('\n'), /outbox unavailable; deliveries queued without a log \{.*"deliveries":3/);
		for (const hook of hooks) assert.deepEqual(await deliveryRowsOf(direct, hook.id), []);
	});
});
