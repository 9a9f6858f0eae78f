import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../../src/index.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { CapturingLogger } from '../support/logger.js';
import { PackingHost } from '../support/packing-host.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { TestReceiver } from '../support/receiver.js';

const UNATTENDED_AFTER_MS = 2000;
const WARNING = 'deliveries wait and no worker takes them: is startWorkers() running in some process?';
const RECOVERED = 'deliveries no longer wait unattended';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gauges(webhooks: WebhookModule, queue: string): Promise<{ unattended: number; seconds: number }> {
	const samples = parsePrometheusText(await webhooks.metrics.registry.metrics());
	return {
		unattended: sampleValue(samples, 'misskey_webhooks_queue_unattended', { queue }),
		seconds: sampleValue(samples, 'misskey_webhooks_queue_unattended_seconds', { queue }),
	};
}

describe('deliveries that wait while no worker takes them are told: health, a gauge and one warning', function () {
	this.timeout(60_000);

	let dataSource: DataSource;
	let receiver: TestReceiver;
	const host = new PackingHost();
	const modules: WebhookModule[] = [];
	const prefixes: string[] = [];
	let noteNumber = 0;

	before(async () => {
		dataSource = await createMigratedDataSource();
		receiver = await new TestReceiver().start();
		host.addUser('alice');
		await new WebhookStore(dataSource).create({ userId: 'alice', name: 'notes', url: receiver.url('/notes'), secret: 'alice-secret', on: ['note'] });
	});
	afterEach(async () => {
		while (modules.length > 0) await modules.pop()!.close();
		receiver.clear();
	});
	after(async () => {
		await receiver.close();
		await dataSource.destroy();
		const redis = new Redis(testRedisUrl);
		try {
			for (const prefix of prefixes) {
				const keys = await redis.keys(`${prefix}:*`);
				if (keys.length > 0) await redis.del(...keys);
			}
		} finally {
			redis.disconnect();
		}
	});

	function newQueuePrefix(): string {
		const prefix = `mw-test-unattended-${randomBytes(6).toString('hex')}`;
		prefixes.push(prefix);
		return prefix;
	}

	async function moduleOf(queuePrefix: string, logger: CapturingLogger, workerConcurrency = 64): Promise<WebhookModule> {
		const webhooks = await createWebhookModule({
			dataSource, host, serverUrl: 'https://unattended.test', redisUrl: testRedisUrl, queuePrefix, logger,
			allowedPrivateNetworks: testAllowedPrivateNetworks, workerConcurrency, unattendedQueueAfterMs: UNATTENDED_AFTER_MS,
		});
		modules.push(webhooks);
		return webhooks;
	}

	async function raiseNote(webhooks: WebhookModule): Promise<void> {
		const note = host.addNote({ id: `note${++noteNumber}`, userId: 'alice', text: `note ${noteNumber}` });
		await webhooks.events.noteCreated({ note: { id: note.id, userId: 'alice', visibility: 'public' } });
	}

	const lines = (logger: CapturingLogger, message: string) => logger.entries.filter((entry) => entry.message === message);

	it('a module that never starts workers tells its queued deliveries after the threshold, warns once, and stops once workers elsewhere take them', async () => {
		const queuePrefix = newQueuePrefix();
		const logger = new CapturingLogger();
		const enqueuer = await moduleOf(queuePrefix, logger);
		for (let i = 0; i < 4; i++) await raiseNote(enqueuer);

		const early = await enqueuer.health();
		assert.equal(early.workers.ok, true, `not before the threshold: ${JSON.stringify(early.workers)}`);
		assert.equal(lines(logger, WARNING).length, 0);

		// Several looks of the watch (a quarter of the threshold apart) pass after the threshold.
		await sleep(UNATTENDED_AFTER_MS * 2);
		const stalled = await enqueuer.health();
		assert.equal(stalled.ok, false);
		assert.equal(stalled.workers.ok, false);
		assert.equal(stalled.workers.unattendedQueueAfterMs, UNATTENDED_AFTER_MS);
		const [user, system] = stalled.workers.queues;
		assert.equal(user?.name, 'userWebhookDeliver');
		assert.equal(user.unattended, true);
		assert.equal(user.lastTakenAt, null, 'no worker ever took a job from this queue');
		assert.ok((user.unattendedMs ?? 0) > UNATTENDED_AFTER_MS, JSON.stringify(user));
		assert.deepEqual([system?.name, system?.unattended, system?.unattendedMs], ['systemWebhookDeliver', false, null], 'nothing waits there');
		assert.equal(stalled.queue.queues[0]?.waiting, 4);

		const metrics = await gauges(enqueuer, 'userWebhookDeliver');
		assert.equal(metrics.unattended, 1);
		assert.ok(metrics.seconds > UNATTENDED_AFTER_MS / 1000, `${metrics.seconds} s`);
		assert.equal((await gauges(enqueuer, 'systemWebhookDeliver')).unattended, 0);

		const warnings = lines(logger, WARNING);
		assert.equal(warnings.length, 1, `one warning, not one per look: ${logger.lines.join('\n')}`);
		assert.equal(warnings[0]?.level, 'warn');
		assert.equal(warnings[0]?.fields.module, 'misskey-webhooks');
		assert.equal(warnings[0]?.fields.queue, 'userWebhookDeliver');
		assert.equal(warnings[0]?.fields.waiting, 4);
		assert.equal(warnings[0]?.fields.lastTakenAt, null);
		assert.ok(Number(warnings[0]?.fields.unattendedMs) > UNATTENDED_AFTER_MS);

		// Workers in a second module, sharing only Redis and PostgreSQL with the first as another process would: one job
		// at a time to a slow receiver, so the backlog outlives the first take and only the takes can end the report.
		receiver.replyAlways({ status: 204, delayMs: 500 });
		const worker = await moduleOf(queuePrefix, new CapturingLogger(), 1);
		await worker.startWorkers();
		await receiver.waitForRequests(1);
		const served = await enqueuer.health();
		assert.ok((served.queue.queues[0]?.waiting ?? 0) >= 1, `a backlog is left: ${JSON.stringify(served.queue)}`);
		assert.equal(served.workers.ok, true, JSON.stringify(served.workers));
		assert.equal(served.workers.queues[0]?.unattended, false);
		assert.ok(served.workers.queues[0]?.lastTakenAt, 'the worker\'s take is seen from the other module');
		assert.equal((await gauges(enqueuer, 'userWebhookDeliver')).unattended, 0);

		const deadline = Date.now() + UNATTENDED_AFTER_MS;
		while (lines(logger, RECOVERED).length === 0 && Date.now() < deadline) await sleep(50);
		assert.deepEqual(lines(logger, RECOVERED).map((entry) => [entry.level, entry.fields.queue]), [['info', 'userWebhookDeliver']]);
		assert.equal(lines(logger, WARNING).length, 1);
		await receiver.waitForRequests(4, 10_000);
	});

	it('a module whose workers run reports nothing unattended while its queue idles past the threshold', async () => {
		const logger = new CapturingLogger();
		const webhooks = await moduleOf(newQueuePrefix(), logger);
		await webhooks.startWorkers();
		await raiseNote(webhooks);
		await receiver.waitForRequests(1);

		await sleep(UNATTENDED_AFTER_MS * 2);
		const report = await webhooks.health();
		assert.equal(report.ok, true, JSON.stringify(report));
		assert.deepEqual(report.workers.queues.map((queue) => [queue.name, queue.unattended, queue.unattendedMs]), [
			['userWebhookDeliver', false, null],
			['systemWebhookDeliver', false, null],
		]);
		assert.ok(report.workers.queues[0]?.lastTakenAt, 'the delivery\'s take was noted');
		for (const queue of ['userWebhookDeliver', 'systemWebhookDeliver']) assert.deepEqual(await gauges(webhooks, queue), { unattended: 0, seconds: 0 });
		assert.deepEqual(lines(logger, WARNING), []);
	});
});
