import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../../src/index.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { CapturingLogger } from '../support/logger.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { TestReceiver } from '../support/receiver.js';
import { TestHost } from '../support/test-host.js';

describe('the module\'s logger, metrics registry and health, as createWebhookModule wires them', function () {
	this.timeout(30_000);

	const suffix = randomBytes(6).toString('hex');
	const queuePrefix = `mw-test-observe-${suffix}`;
	const logger = new CapturingLogger();
	const registry = new Registry();
	let dataSource: DataSource;
	let receiver: TestReceiver;
	let webhooks: WebhookModule | undefined;

	before(async () => {
		dataSource = await createMigratedDataSource();
		receiver = await new TestReceiver().start();
		await new SystemWebhookStore(dataSource).create({ isActive: true, name: 'new users', on: ['userCreated'], url: receiver.url('/users'), secret: '' });
		webhooks = await createWebhookModule({
			dataSource,
			// Its packing throws: every user event it is asked to pack fails.
			host: new TestHost(),
			serverUrl: `https://observe-${suffix}.test`,
			redisUrl: testRedisUrl,
			queuePrefix,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
			logger,
			metricsRegistry: registry,
		});
		await webhooks.startWorkers();
	});

	after(async () => {
		await webhooks?.close();
		await receiver?.close();
		await dataSource?.destroy();
		const redis = new Redis(testRedisUrl);
		try {
			const keys = await redis.keys(`${queuePrefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	});

	it('a system event the host cannot pack is logged through the given logger, as fields, with the module binding', async () => {
		await webhooks!.events.userCreated({ id: 'new-user' });
		// A body that cannot be packed now is kept in the intake for the relay to retry, and said so.
		const failure = logger.entries.find((entry) => entry.message.includes('not packed yet'));
		assert.ok(failure, logger.lines.join('\n'));
		assert.equal(failure.level, 'warn');
		assert.deepEqual([failure.fields.module, failure.fields.event], ['misskey-webhooks', 'userCreated']);
		assert.match(String(failure.fields.reason), /unknown user new-user/);
		assert.equal(receiver.requests.length, 0);
	});

	it('the metrics are on the host\'s registry, with the registry\'s count of active system webhooks', async () => {
		assert.equal(webhooks!.metrics.registry, registry);
		const samples = parsePrometheusText(await registry.metrics());
		assert.equal(sampleValue(samples, 'misskey_webhooks_webhooks_active', { kind: 'system' }), 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_jobs', { queue: 'systemWebhookDeliver', state: 'waiting' }), 0);
	});

	it('health answers ok with PostgreSQL and Redis reachable and nothing behind', async () => {
		const report = await webhooks!.health();
		assert.equal(report.ok, true, JSON.stringify(report));
		assert.deepEqual(report.queue.queues.map((queue) => queue.name), ['userWebhookDeliver', 'systemWebhookDeliver']);
	});

	it('after close, the module\'s metrics are off the host\'s registry', async () => {
		await webhooks!.close();
		webhooks = undefined;
		assert.equal(registry.getSingleMetric('misskey_webhooks_delivery_attempts_total'), undefined);
	});
});
