import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { COLLECT_TIMEOUT_MS, WebhookMetrics } from '../../src/observability/metrics.js';
import { errorClassLabel } from '../../src/observability/label-values.js';
import { attempt, unavailable } from '../delivery/auto-disable-fixture.js';
import { DeliveryFixture, sampleBody, waitUntilIdle } from '../delivery/fixture.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { TestReceiver } from '../support/receiver.js';
import { freePort } from '../e2e/host-process.js';

const attempts = 'misskey_webhooks_delivery_attempts_total';

async function scrape(metrics: WebhookMetrics) {
	const text = await metrics.registry.metrics();
	return { text, samples: parsePrometheusText(text) };
}

describe('metrics: what they count, and labels from fixed sets only', function () {
	this.timeout(30_000);

	it('an event type, format or error class outside the known sets is counted as `other`, never as itself', async () => {
		const metrics = new WebhookMetrics();
		const recorder = metrics.attemptRecorder();
		const unbounded = 'https://receiver.example/hook?token=abc';
		recorder.record({ ...attempt('user', 'hook-1', unavailable), eventType: unbounded, format: unbounded, errorClass: 'Error: socket hang up at 10.0.0.1' });
		recorder.record({ ...attempt('system', 'hook-2', unavailable), eventType: 'abuseReport', format: 'discord' });
		const { text, samples } = await scrape(metrics);
		assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'other', format: 'other', outcome: 'will_retry' }), 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_errors_total', { kind: 'user', error_class: 'other' }), 1);
		assert.equal(sampleValue(samples, attempts, { kind: 'system', type: 'abuseReport', format: 'discord', outcome: 'will_retry' }), 1);
		for (const forbidden of ['receiver.example', 'hook-1', 'hook-2', '10.0.0.1']) assert.ok(!text.includes(forbidden), forbidden);
	});

	it('error classes map onto the fixed set: timeouts together, TLS errors together, known codes as themselves', () => {
		assert.deepEqual(
			['timeout', 'ETIMEDOUT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ECONNREFUSED', 'blocked-address', 'RequestError'].map(errorClassLabel),
			['timeout', 'timeout', 'tls', 'tls', 'ECONNREFUSED', 'blocked-address', 'other'],
		);
	});

	it('a scrape-time source that hangs or throws leaves its numbers out, counts the failure, and the scrape still answers', async () => {
		const metrics = new WebhookMetrics();
		metrics.readAtScrape({
			queues: [{ name: 'userWebhookDeliver', counts: () => new Promise(() => {}) }],
			pendingDeliveries: () => Promise.reject(new Error('connection refused')),
			activeWebhooks: () => ({ user: 2, system: 1 }),
			openCircuits: () => ({ user: 0, system: 0 }),
			attendance: () => new Promise(() => {}),
		});
		const started = Date.now();
		const { samples } = await scrape(metrics);
		assert.ok(Date.now() - started < COLLECT_TIMEOUT_MS + 3000, `the scrape took ${Date.now() - started} ms`);
		assert.ok(!samples.some((sample) => sample.name === 'misskey_webhooks_queue_jobs'));
		assert.ok(!samples.some((sample) => sample.name === 'misskey_webhooks_outbox_pending_deliveries'));
		assert.ok(!samples.some((sample) => sample.name.startsWith('misskey_webhooks_queue_unattended')));
		// The job counts, and the one read of the queues' attendance that both unattended gauges share.
		assert.equal(sampleValue(samples, 'misskey_webhooks_collect_errors_total', { source: 'queue' }), 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_collect_errors_total', { source: 'outbox' }), 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_webhooks_active', { kind: 'user' }), 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_webhooks_active', { kind: 'system' }), 1);
	});

	it('on the host\'s registry the module\'s metrics sit beside the host\'s; a second module on the same registry is refused', async () => {
		const registry = new Registry();
		const metrics = new WebhookMetrics({ registry });
		assert.equal(metrics.registry, registry);
		assert.ok(registry.getSingleMetric(attempts));
		assert.throws(() => new WebhookMetrics({ registry }), /already been registered/);
		metrics.unregister();
		assert.equal(registry.getSingleMetric(attempts), undefined);
		assert.deepEqual(await registry.getMetricsAsJSON(), [], 'every metric of the module is gone, none of the host\'s touched');
		assert.ok(new WebhookMetrics({ registry }), 'a module created after the first closed registers again');
	});

	it('both unattended-queue gauges come from one read of the queues per scrape', async () => {
		const metrics = new WebhookMetrics();
		let reads = 0;
		metrics.readAtScrape({
			queues: [],
			pendingDeliveries: () => Promise.resolve(new Map()),
			activeWebhooks: () => ({ user: 0, system: 0 }),
			openCircuits: () => ({ user: 0, system: 0 }),
			attendance: async () => {
				reads++;
				return [
					{ name: 'userWebhookDeliver', lastTakenAt: null, unattendedMs: 150_000, unattended: true },
					{ name: 'systemWebhookDeliver', lastTakenAt: new Date().toISOString(), unattendedMs: null, unattended: false },
				];
			},
		});
		const { samples } = await scrape(metrics);
		assert.equal(reads, 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_unattended', { queue: 'userWebhookDeliver' }), 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_unattended_seconds', { queue: 'userWebhookDeliver' }), 150);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_unattended', { queue: 'systemWebhookDeliver' }), 0);
		assert.equal(sampleValue(samples, 'misskey_webhooks_queue_unattended_seconds', { queue: 'systemWebhookDeliver' }), 0);
		await scrape(metrics);
		assert.equal(reads, 2, 'the next scrape reads again');
	});

	it('auto-disables are counted by the function that reports them; open circuits are read from the workers at scrape time', async () => {
		const metrics = new WebhookMetrics();
		metrics.countAutoDisable('user', 'gone');
		metrics.countAutoDisable('user', 'gone');
		metrics.countAutoDisable('system', 'auto');
		metrics.readAtScrape({
			queues: [],
			pendingDeliveries: () => Promise.resolve(new Map()),
			activeWebhooks: () => ({ user: 0, system: 0 }),
			openCircuits: () => ({ user: 3, system: 0 }),
			attendance: () => Promise.resolve([]),
		});
		const { samples } = await scrape(metrics);
		assert.equal(sampleValue(samples, 'misskey_webhooks_auto_disables_total', { kind: 'user', cause: 'gone' }), 2);
		assert.equal(sampleValue(samples, 'misskey_webhooks_auto_disables_total', { kind: 'system', cause: 'auto' }), 1);
		assert.equal(sampleValue(samples, 'misskey_webhooks_circuits_open', { kind: 'user' }), 3);
	});

	describe('on real deliveries', () => {
		let fixture: DeliveryFixture;
		let receiver: TestReceiver;
		before(async () => {
			fixture = await DeliveryFixture.start();
			receiver = await new TestReceiver().start();
		});
		after(async () => {
			await fixture.close();
			await receiver.close();
		});

		it('a delivery the address guard refuses counts as blocked, with error class blocked-address', async () => {
			const metrics = new WebhookMetrics();
			const strict = await fixture.delivery({ allowedPrivateNetworks: [] }, true, { extraRecorders: [metrics.attemptRecorder()], onEnqueued: metrics.observeEnqueue });
			await strict.enqueue([await fixture.createWebhook(receiver.url('/blocked'))], 'note', sampleBody);
			await waitUntilIdle(strict.queue);
			const { samples } = await scrape(metrics);
			assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'note', format: 'misskey', outcome: 'blocked' }), 1);
			assert.equal(sampleValue(samples, attempts, { outcome: 'failed' }), 0);
			assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_errors_total', { kind: 'user', error_class: 'blocked-address' }), 1);
			assert.equal(sampleValue(samples, 'misskey_webhooks_deliveries_enqueued_total', { kind: 'user', type: 'note', format: 'misskey', path: 'queued' }), 1);
			assert.equal(receiver.requests.length, 0);
		});

		it('a refused connection counts every attempt under ECONNREFUSED: two will_retry, then failed', async () => {
			const metrics = new WebhookMetrics();
			const delivery = await fixture.delivery({}, true, { extraRecorders: [metrics.attemptRecorder()] });
			await delivery.enqueue([await fixture.createWebhook(`http://127.0.0.1:${await freePort()}/nobody`)], 'note', sampleBody);
			await waitUntilIdle(delivery.queue);
			const { samples } = await scrape(metrics);
			assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'note', format: 'misskey', outcome: 'will_retry' }), 2);
			assert.equal(sampleValue(samples, attempts, { kind: 'user', type: 'note', format: 'misskey', outcome: 'failed' }), 1);
			assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_errors_total', { kind: 'user', error_class: 'ECONNREFUSED' }), 3);
			assert.equal(sampleValue(samples, 'misskey_webhooks_delivery_attempt_duration_seconds_count', { kind: 'user', outcome: 'will_retry' }), 2);
		});
	});
});
