import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { DeliveryStore, type NewDelivery } from '../../src/store/delivery-store.js';
import { generateId } from '../../src/store/id.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody } from './fixture.js';
import { attemptRowsOf, deliveryRowOnce, deliveryRowsOf, until } from './outbox-fixture.js';

/** Outbox rows as an enqueue writes them, for a queue nothing was added to: a crash between the INSERT and the add. */
async function writeRowsOnly(fixture: DeliveryFixture, queuePrefix: string, hook: WebhookEntity, count = 1, createdAt = new Date()): Promise<NewDelivery[]> {
	const rows = Array.from({ length: count }, () => ({
		id: generateId(), webhookId: hook.id, userId: hook.userId, eventId: randomUUID(), url: hook.url, secret: hook.secret,
		retryPolicy: 'standard' as const, sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'misskey' as const, deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
	}));
	await new DeliveryStore(fixture.dataSource).insertEvent({ kind: 'user', queuePrefix, type: 'note', bodyText: JSON.stringify(sampleBody), createdAt }, rows);
	return rows;
}

describe('delivery: the reconciler', () => {
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

	const prefix = () => `mw-test-reconcile-${randomUUID()}`;

	it('a pending delivery whose job the queue lost is re-queued with its remaining attempts and delay; its attempts number on', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [600, 600], reconcileSettleMs: 0 });
		const hook = await fixture.createWebhook(receiver.url('/lost'));
		receiver.replyNext({ status: 500 });
		await delivery.enqueue([hook], 'note', sampleBody);
		const [waiting] = await until(() => deliveryRowsOf(fixture.dataSource, hook.id), (rows) => rows[0]?.attempts === 1);
		const [delayed] = await until(() => delivery.queue.getDelayed(), (jobs) => jobs.length === 1);
		await delayed.remove();

		const report = await delivery.reconcile();
		assert.deepEqual(report, { checked: 1, requeued: 1, exhausted: 0 });
		const [requeued] = await delivery.queue.getDelayed();
		assert.equal(requeued.id, waiting.id, 'under the delivery id again');
		assert.equal(requeued.opts.attempts, 2, 'the attempts left');
		assert.equal(requeued.data.attemptsBefore, 1);
		const score = Number(await delivery.queue.client.zscore(delivery.queue.toKey('delayed'), String(requeued.id)));
		assert.ok(Math.abs(Math.floor(score / 0x1000) - waiting.nextAttemptAt!.getTime()) < 50, 'due when the attempt log said');

		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		assert.deepEqual((await attemptRowsOf(fixture.dataSource, row.id)).map((a) => [a.number, a.status]), [[1, 500], [2, 200]]);
		const requests = receiver.requests.filter((r) => r.path === '/lost');
		assert.deepEqual(requests.map((r) => r.json.eventId), [row.eventId, row.eventId], 'the same event both times');
	});

	it('a delivery still queued is not queued again', async () => {
		const producer = await fixture.delivery({ reconcileSettleMs: 0 }, false);
		const hooks = await Promise.all([1, 2, 3].map(() => fixture.createWebhook(receiver.url())));
		await producer.enqueue(hooks, 'note', sampleBody);
		const report = await producer.reconcile();
		assert.deepEqual(report, { checked: 3, requeued: 0, exhausted: 0 });
		assert.equal((await producer.queue.getWaiting()).length, 3);
	});

	it('rows written whose jobs were never added are queued, and delivered once', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/never-queued'));
		const [written] = await writeRowsOnly(fixture, queuePrefix, hook);
		const delivery = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 });
		// The worker reconciles as it starts: nothing else is needed.
		const [request] = await receiver.waitForRequests(1, 3000, '/never-queued');
		assert.equal(request.json.eventId, written.eventId);
		assert.deepEqual(request.json.body, sampleBody);
		await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		assert.deepEqual(await delivery.reconcile(), { checked: 0, requeued: 0, exhausted: 0 });
		assert.equal((await receiver.settle(100)).filter((r) => r.path === '/never-queued').length, 1);
	});

	it("only this queue's deliveries are its concern: another prefix's pending rows are left to their own worker", async () => {
		const hook = await fixture.createWebhook(receiver.url('/elsewhere'));
		await writeRowsOnly(fixture, prefix(), hook);
		const delivery = await fixture.delivery({ reconcileSettleMs: 0 }, false);
		assert.equal((await delivery.reconcile()).checked, 0);
	});

	it('a pending delivery with no attempts left ends failed instead of being queued', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/spent'));
		const [spent] = await writeRowsOnly(fixture, queuePrefix, hook);
		await fixture.dataSource.query(`UPDATE "webhook_delivery" SET "attempts" = 3 WHERE "id" = $1`, [spent.id]);
		const delivery = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 }, false);
		assert.deepEqual(await delivery.reconcile(), { checked: 1, requeued: 0, exhausted: 1 });
		const [row] = await deliveryRowsOf(fixture.dataSource, hook.id);
		assert.equal(row.status, 'failed');
		assert.ok(row.finishedAt);
		assert.equal((await delivery.queue.getWaiting()).length, 0);
	});

	it('a delivery whose attempt is being written while the reconciler waits is left alone', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/in-flight'));
		const [row] = await writeRowsOnly(fixture, queuePrefix, hook);
		const delivery = await fixture.delivery({ queuePrefix, reconcileSettleMs: 300 }, false);
		const reconciling = delivery.reconcile();
		await new Promise((resolve) => setTimeout(resolve, 100));
		// Its job just finished elsewhere and the attempt log caught up.
		await fixture.dataSource.query(`UPDATE "webhook_delivery" SET "attempts" = 1, "status" = 'delivered' WHERE "id" = $1`, [row.id]);
		assert.deepEqual(await reconciling, { checked: 1, requeued: 0, exhausted: 0 });
		assert.equal((await delivery.queue.getWaiting()).length, 0);
	});

	it('beside a steady stream of events, a reconciler passing every 300 ms sends nothing twice', async function () {
		this.timeout(60_000);
		receiver.replyAlways({ status: 200 });
		const delivery = await fixture.delivery({ reconcileIntervalMs: 300, reconcileSettleMs: 100, workerConcurrency: 64, concurrencyPerTargetHost: 64 });
		const hooks = await Promise.all(Array.from({ length: 8 }, () => fixture.createWebhook(receiver.url('/stream'))));
		// 500 events a second, one webhook each: jobs are queued while their rows are written, attempts land as rows commit.
		const total = 3000;
		const started = Date.now();
		const raised: Array<Promise<void>> = [];
		for (let i = 0; i < total; i++) {
			const wait = started + i * 2 - Date.now();
			if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
			raised.push(delivery.enqueue([hooks[i % hooks.length]], 'note', sampleBody));
		}
		await Promise.all(raised);
		await receiver.waitForRequests(total, 30_000, '/stream');
		// Long enough for a few more passes over whatever is still pending.
		const eventIds = (await receiver.settle(1000)).filter((r) => r.path === '/stream').map((r) => r.json.eventId);
		assert.equal(eventIds.length, total);
		assert.equal(new Set(eventIds).size, total);
		await delivery.flushRecords();
		const [{ pending }] = await fixture.dataSource.query(`SELECT count(*)::int AS "pending" FROM "webhook_delivery" WHERE "url" = $1 AND "status" <> 'delivered'`, [receiver.url('/stream')]);
		assert.equal(pending, 0);
	});

	it('reads the outbox in bounded batches', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/batches'));
		await writeRowsOnly(fixture, queuePrefix, hook, 5);
		const delivery = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0, reconcileBatchSize: 2 }, false);
		const pageSizes: number[] = [];
		const pendingAfter = delivery.deliveries.pendingAfter.bind(delivery.deliveries);
		delivery.deliveries.pendingAfter = async (...args) => {
			const page = await pendingAfter(...args);
			pageSizes.push(page.length);
			return page;
		};
		const report = await delivery.reconcile();
		assert.deepEqual(report, { checked: 5, requeued: 5, exhausted: 0 });
		assert.deepEqual(pageSizes, [2, 2, 1]);
		assert.equal((await delivery.queue.getWaiting()).length, 5);
	});

	it('one reconciler per queue at a time, across processes: the second finds the lock taken', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/locked'));
		await writeRowsOnly(fixture, queuePrefix, hook, 2);
		const first = await fixture.delivery({ queuePrefix, reconcileSettleMs: 200 }, false);
		const second = await fixture.delivery({ queuePrefix, reconcileSettleMs: 200 }, false);
		const reports = await Promise.all([first.reconcile(), second.reconcile()]);
		assert.deepEqual(reports.map((r) => r.requeued).sort(), [0, 2]);
		assert.equal((await first.queue.getWaiting()).length, 2);
	});
});
