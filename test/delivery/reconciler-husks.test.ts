import assert from 'node:assert/strict';
import { FINISHED_JOB_GRACE_MS } from '../../src/delivery/outbox/job-states.js';
import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { DeliveryStore, type NewDelivery } from '../../src/store/delivery-store.js';
import { generateId } from '../../src/store/id.js';
import { USER_WEBHOOK_DELIVER_QUEUE } from '../../src/delivery/queue/queue.js';
import { createWebhookDeliverProcessor, JobWithoutData } from '../../src/delivery/queue/worker.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger, DeliveryFixture, sampleBody } from './fixture.js';
import { deliveryRowOnce } from './outbox-fixture.js';

async function writeRow(fixture: DeliveryFixture, queuePrefix: string, hook: WebhookEntity): Promise<NewDelivery> {
	const row = {
		id: generateId(), webhookId: hook.id, userId: hook.userId, eventId: randomUUID(), url: hook.url, secret: hook.secret,
		retryPolicy: 'standard' as const, sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'misskey' as const, deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
	};
	await new DeliveryStore(fixture.dataSource).insertEvent({ kind: 'user', queuePrefix, type: 'note', bodyText: JSON.stringify(sampleBody), createdAt: new Date() }, [row]);
	return row;
}

/** What Bull's moveToActive leaves behind when Redis lost the job's hash: `processedOn` alone, the id still listed. */
async function leaveHusk(queue: Bull.Queue<any>, queuePrefix: string, id: string, list: 'active' | 'wait'): Promise<void> {
	const key = `${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}:${id}`;
	assert.equal(await queue.client.exists(key), 0);
	await queue.client.hset(key, 'processedOn', String(Date.now()));
	await queue.client.lpush(`${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}:${list}`, id);
}

describe('delivery: the reconciler is not fooled by what Redis holds under a delivery id', () => {
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

	const prefix = () => `mw-test-husk-${randomUUID()}`;

	it('a job hash without data, its id in the active list, is removed and its delivery re-queued and sent once', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/husk-active'));
		const row = await writeRow(fixture, queuePrefix, hook);
		const producer = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 }, false);
		await leaveHusk(producer.queue, queuePrefix, row.id, 'active');

		assert.deepEqual(await producer.reconcile(), { checked: 1, requeued: 1, exhausted: 0 });
		const [job] = await producer.queue.getWaiting();
		assert.equal(job.id, row.id);
		assert.equal(job.data.eventId, row.eventId, 'rebuilt from the outbox, data and all');
		assert.deepEqual(await producer.queue.client.lrange(`${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}:active`, 0, -1), [], 'the husk is gone from the active list');
		assert.ok(fixture.logger.lines.some((line) => line.includes('without data') && line.includes(row.id)), 'the fault is logged with the delivery id');

		await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 });
		const [request] = await receiver.waitForRequests(1, 5000, '/husk-active');
		assert.equal(request.json.eventId, row.eventId);
		await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		assert.equal((await receiver.settle(200)).filter((r) => r.path === '/husk-active').length, 1);
	});

	it('a worker handed a data-less job does not crash on it: it logs, discards it, and the outbox queues it again', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/husk-wait'));
		const worker = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 });
		await worker.reconcile();
		const row = await writeRow(fixture, queuePrefix, hook);
		// In the wait list, the worker takes it before any scheduled reconciliation (30 s away) could.
		await leaveHusk(worker.queue, queuePrefix, row.id, 'wait');
		const [request] = await receiver.waitForRequests(1, 10_000, '/husk-wait');
		assert.equal(request.json.eventId, row.eventId);
		assert.deepEqual(request.json.body, sampleBody);
		assert.ok(fixture.logger.entries.some((entry) => entry.fields.jobId === row.id && entry.message.includes('has no data')), fixture.logger.lines.join('\n'));
		assert.ok(!fixture.logger.lines.some((line) => /TypeError/.test(line)));
		await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
	});

	it('a finished job whose delivery is still pending (its record lost) does not count as queued', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/stranded'));
		const row = await writeRow(fixture, queuePrefix, hook);
		const producer = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 }, false);
		await producer.queue.add({ ...({} as UserWebhookDeliverJobData), to: hook.url, eventId: row.eventId }, { jobId: row.id });
		const key = `${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}`;
		// Moved by hand to `completed`, as a worker that died before its attempt was written leaves it.
		await producer.queue.client.lrem(`${key}:wait`, 0, row.id);
		await producer.queue.client.zadd(`${key}:completed`, Date.now(), row.id);
		assert.deepEqual(await producer.reconcile(), { checked: 1, requeued: 1, exhausted: 0 });
		const [job] = await producer.queue.getWaiting();
		assert.equal(job.id, row.id);
		assert.deepEqual(job.data.content, sampleBody);
		assert.equal(await producer.queue.client.zscore(`${key}:completed`, row.id), null);
	});

	it('a job that finished a moment ago, its row not yet written, is left alone: the delivery is not sent again', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/finishing'));
		const row = await writeRow(fixture, queuePrefix, hook);
		const producer = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 }, false);
		await producer.queue.add({ ...({} as UserWebhookDeliverJobData), to: hook.url, eventId: row.eventId }, { jobId: row.id });
		const key = `${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}`;
		// As a worker leaves a job it has just completed, before the batched record reaches the row.
		await producer.queue.client.lrem(`${key}:wait`, 0, row.id);
		await producer.queue.client.zadd(`${key}:completed`, Date.now(), row.id);
		await producer.queue.client.hset(`${key}:${row.id}`, 'finishedOn', String(Date.now()));
		assert.deepEqual(await producer.reconcile(), { checked: 1, requeued: 0, exhausted: 0 });
		assert.deepEqual(await producer.queue.getWaiting(), []);
		// Long after, with the row still pending, its record is taken as lost and the delivery re-queued.
		await producer.queue.client.hset(`${key}:${row.id}`, 'finishedOn', String(Date.now() - FINISHED_JOB_GRACE_MS - 1));
		assert.deepEqual(await producer.reconcile(), { checked: 1, requeued: 1, exhausted: 0 });
	});

	it('live jobs (waiting, delayed, active, paused) count as queued', async () => {
		const queuePrefix = prefix();
		const hook = await fixture.createWebhook(receiver.url('/live'));
		const rows = [await writeRow(fixture, queuePrefix, hook), await writeRow(fixture, queuePrefix, hook), await writeRow(fixture, queuePrefix, hook)];
		const producer = await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 }, false);
		const data = { to: hook.url } as UserWebhookDeliverJobData;
		await producer.queue.add(data, { jobId: rows[0].id });
		await producer.queue.add(data, { jobId: rows[1].id, delay: 60_000 });
		await producer.queue.add(data, { jobId: rows[2].id });
		const key = `${queuePrefix}:${USER_WEBHOOK_DELIVER_QUEUE}`;
		await producer.queue.client.lrem(`${key}:wait`, 0, rows[2].id);
		await producer.queue.client.lpush(`${key}:active`, rows[2].id);
		assert.deepEqual(await producer.reconcile(), { checked: 3, requeued: 0, exhausted: 0 });
		await producer.queue.pause(false);
		assert.deepEqual(await producer.reconcile(), { checked: 3, requeued: 0, exhausted: 0 });
	});

	it('the processor turns a data-less job into JobWithoutData, not a TypeError', async () => {
		const logger = new CapturingLogger();
		const told: string[] = [];
		const processor = createWebhookDeliverProcessor({
			sender: {} as never, gate: {} as never, recorders: [], logger, onJobWithoutData: (id) => told.push(id),
		});
		let discarded = false;
		const job = { id: 'x1', data: {}, opts: {}, attemptsMade: 0, discard: () => { discarded = true; } } as unknown as Bull.Job<UserWebhookDeliverJobData>;
		await assert.rejects(processor(job), JobWithoutData);
		assert.ok(discarded);
		assert.deepEqual(told, ['x1']);
		assert.equal(logger.entries[0].fields.jobId, 'x1');
		assert.match(logger.entries[0].message, /has no data/);
	});
});
