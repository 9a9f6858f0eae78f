import assert from 'node:assert/strict';
import { NO_RESPONSE_STATUS } from '../../src/delivery/retry/outcome.js';
import { STATUS_FLUSH_BATCH_SIZE, WebhookStatusWriter } from '../../src/delivery/log/status-writer.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger, closedPortUrl, DeliveryFixture, sampleBody, waitUntilIdle, watchStatus } from './fixture.js';
import { aroundStatements } from '../support/statements.js';

describe('delivery: webhook status', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});
	afterEach(() => receiver.clear());
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	/** Counts the UPDATE statements on "webhook" that go through the data source while `during` runs. */
	async function countStatusUpdates(during: () => Promise<void>): Promise<number> {
		let updates = 0;
		const undo = aroundStatements(fixture.dataSource, (text, send) => {
			if (/^UPDATE "webhook"/.test(text)) updates++;
			return send();
		});
		try {
			await during();
		} finally {
			undo();
		}
		return updates;
	}

	it('every attempt writes latestSentAt and latestStatus, in order', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [400, 400] });
		const hook = await fixture.createWebhook(receiver.url());
		receiver.replyNext({ status: 500 }, { status: 502 }, { status: 200 });
		const start = Date.now();
		const seen = await watchStatus(fixture, hook.id, async () => {
			await delivery.enqueue([hook], 'note', sampleBody);
			await waitUntilIdle(delivery.queue);
		});
		assert.deepEqual(seen.map((s) => s.status), [500, 502, 200]);
		assert.ok(seen[0].sentAt.getTime() >= start - 5);
		assert.ok(seen[1].sentAt > seen[0].sentAt && seen[2].sentAt > seen[1].sentAt);
		const requests = receiver.requests;
		assert.ok(seen[2].sentAt.getTime() >= requests[2].receivedAt - 5, 'the time is the attempt time, not the enqueue time');
	});

	it('an attempt without response writes status 1, each time', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [400, 400] });
		const hook = await fixture.createWebhook(await closedPortUrl());
		const seen = await watchStatus(fixture, hook.id, async () => {
			await delivery.enqueue([hook], 'note', sampleBody);
			await waitUntilIdle(delivery.queue);
		});
		assert.deepEqual(seen.map((s) => s.status), [NO_RESPONSE_STATUS, NO_RESPONSE_STATUS, NO_RESPONSE_STATUS]);
	});

	it('200 deliveries write their statuses in a handful of statements, not one each', async () => {
		const delivery = await fixture.delivery({ workerConcurrency: 64, concurrencyPerTargetHost: 64 });
		const hooks = await Promise.all(Array.from({ length: 200 }, (_, i) => fixture.createWebhook(receiver.url(`/bulk${i}`))));
		receiver.replyAlways({ status: 204 });
		const updates = await countStatusUpdates(async () => {
			await delivery.enqueue(hooks, 'note', sampleBody);
			await receiver.waitForRequests(200);
			await waitUntilIdle(delivery.queue);
			await new Promise((resolve) => setTimeout(resolve, 120));
		});
		assert.ok(updates >= 1 && updates <= 20, `${updates} statements`);
		const rows = await fixture.store.repository.findBy({ url: receiver.url('/bulk0') });
		assert.equal(rows[0].latestStatus, 204);
		const written = await fixture.dataSource.query(`SELECT count(*)::int AS n FROM "webhook" WHERE "url" LIKE '%/bulk%' AND "latestStatus" = 204`);
		assert.equal(written[0].n, 200);
	});

	describe('the status writer', () => {
		it('writes only the latest attempt of a webhook, in one statement', async () => {
			const hook = await fixture.createWebhook('http://writer.example/');
			const writer = new WebhookStatusWriter({ dataSource: fixture.dataSource, logger: new CapturingLogger() });
			const updates = await countStatusUpdates(async () => {
				writer.record(hook.id, new Date('2025-01-01T00:00:00Z'), 500);
				writer.record(hook.id, new Date('2025-01-01T00:00:01Z'), 502);
				writer.record(hook.id, new Date('2025-01-01T00:00:02Z'), 200);
				await writer.flush();
			});
			assert.equal(updates, 1);
			const row = await fixture.row(hook.id);
			assert.equal(row.latestStatus, 200);
			assert.equal(row.latestSentAt?.toISOString(), '2025-01-01T00:00:02.000Z');
		});

		it('flushes by itself within a short interval', async () => {
			const hook = await fixture.createWebhook('http://writer.example/');
			const writer = new WebhookStatusWriter({ dataSource: fixture.dataSource, logger: new CapturingLogger() });
			writer.record(hook.id, new Date(), 201);
			let row = await fixture.row(hook.id);
			for (let i = 0; i < 100 && row.latestStatus === null; i++) {
				await new Promise((resolve) => setTimeout(resolve, 10));
				row = await fixture.row(hook.id);
			}
			assert.equal(row.latestStatus, 201);
			await writer.close();
		});

		it(`writes at once when ${STATUS_FLUSH_BATCH_SIZE} webhooks are pending`, async () => {
			const writer = new WebhookStatusWriter({ dataSource: fixture.dataSource, logger: new CapturingLogger() });
			const ids = Array.from({ length: STATUS_FLUSH_BATCH_SIZE }, (_, i) => `batch${i}`);
			const updates = await countStatusUpdates(async () => {
				for (const id of ids) writer.record(id, new Date(), 204);
				// Before the interval elapses, the full batch is already on its way.
				await new Promise((resolve) => setImmediate(resolve));
			});
			assert.equal(updates, 1);
			await writer.close();
		});

		it('close() writes what is pending', async () => {
			const hook = await fixture.createWebhook('http://writer.example/');
			const writer = new WebhookStatusWriter({ dataSource: fixture.dataSource, logger: new CapturingLogger() });
			writer.record(hook.id, new Date(), 410);
			await writer.close();
			assert.equal((await fixture.row(hook.id)).latestStatus, 410);
		});

		it('a failed write is logged, not thrown, and later writes go through', async () => {
			const hook = await fixture.createWebhook('http://writer.example/');
			const logger = new CapturingLogger();
			const writer = new WebhookStatusWriter({ dataSource: fixture.dataSource, logger });
			await fixture.dataSource.query('ALTER TABLE "webhook" RENAME TO "webhook_elsewhere"');
			try {
				writer.record(hook.id, new Date(), 500);
				await writer.flush();
			} finally {
				await fixture.dataSource.query('ALTER TABLE "webhook_elsewhere" RENAME TO "webhook"');
			}
			assert.equal(logger.lines.length, 1);
			assert.match(logger.lines[0], /status write failed/);
			writer.record(hook.id, new Date(), 200);
			await writer.close();
			assert.equal((await fixture.row(hook.id)).latestStatus, 200);
		});
	});
});
