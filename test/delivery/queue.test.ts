import assert from 'node:assert/strict';
import { USER_WEBHOOK_DELIVER_QUEUE } from '../../src/delivery/queue/queue.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody, uuidV4 } from './fixture.js';

describe('delivery: queue and jobs', () => {
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

	it("queues one job per webhook on userWebhookDeliver, named by webhook id, with Misskey's job data and options", async () => {
		const producer = await fixture.delivery({ retryDelaysMs: undefined }, false);
		const first = await fixture.createWebhook(receiver.url('/a'), 'secret-a');
		const second = await fixture.createWebhook(receiver.url('/b'), 'secret-b');
		const before = Date.now();
		await producer.enqueue([first, second], 'reply', sampleBody);

		assert.equal(producer.queue.name, USER_WEBHOOK_DELIVER_QUEUE);
		const jobs = await producer.queue.getWaiting();
		assert.equal(jobs.length, 2);
		const job = jobs.find((j) => j.name === first.id)!;
		// Misskey's keys in Misskey's order, then ours: the preset, the clear-secret switch, the body format and the outbox row.
		assert.deepEqual(Object.keys(job.data), ['type', 'content', 'webhookId', 'userId', 'to', 'secret', 'createdAt', 'eventId', 'retryPolicy', 'sendSecretHeader', 'format', 'templateContentType', 'deliveryId']);
		assert.equal(job.data.type, 'reply');
		assert.deepEqual(job.data.content, sampleBody);
		assert.equal(job.data.webhookId, first.id);
		assert.equal(job.data.userId, first.userId);
		assert.equal(job.data.to, first.url);
		assert.equal(job.data.secret, 'secret-a');
		assert.match(job.data.eventId, uuidV4);
		assert.ok(job.data.createdAt >= before && job.data.createdAt <= Date.now());
		assert.equal(job.data.retryPolicy, 'standard');
		assert.equal(job.opts.attempts, 10, "the webhook's preset: standard, 10 attempts");
		assert.equal(job.id, job.data.deliveryId, 'the job id is the outbox row id');
		assert.deepEqual(job.opts.backoff, { type: 'custom' });
		assert.deepEqual(job.opts.removeOnComplete, { age: 604800, count: 30 });
		assert.deepEqual(job.opts.removeOnFail, { age: 604800, count: 100 });
		assert.ok(jobs.some((j) => j.name === second.id && j.data.secret === 'secret-b'));
	});

	it('a caller may ask for fewer attempts (the test endpoint asks for 1)', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url());
		await producer.enqueue([hook], 'note', sampleBody, { attempts: 1 });
		const [job] = await producer.queue.getWaiting();
		assert.equal(job.opts.attempts, 1);
	});

	it('configured retry delays give one attempt more than there are delays', async () => {
		const producer = await fixture.delivery({ retryDelaysMs: [50, 50, 50, 50] }, false);
		const hook = await fixture.createWebhook(receiver.url());
		await producer.enqueue([hook], 'note', sampleBody);
		const [job] = await producer.queue.getWaiting();
		assert.equal(job.opts.attempts, 5);
	});

	it('a webhook with the misskey preset gets 4 attempts; one naming none gets defaultRetryPolicy', async () => {
		const producer = await fixture.delivery({ retryDelaysMs: undefined, defaultRetryPolicy: 'misskey' }, false);
		const hook = await fixture.createWebhook(receiver.url());
		await fixture.store.repository.update({ id: hook.id }, { retryPolicy: 'misskey' });
		await producer.enqueue([await fixture.row(hook.id)], 'note', sampleBody);
		await producer.enqueue([{ id: hook.id, userId: hook.userId, url: hook.url, secret: '' }], 'note', sampleBody);
		const jobs = await producer.queue.getWaiting();
		assert.deepEqual(jobs.map((job) => [job.data.retryPolicy, job.opts.attempts]), [['misskey', 4], ['misskey', 4]]);
	});

	it("after a first failure with Misskey's policy the job waits 60–72 s in the delayed set", async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: undefined });
		const hook = await fixture.createWebhook(receiver.url('/misskey-policy'));
		await fixture.store.repository.update({ id: hook.id }, { retryPolicy: 'misskey' });
		hook.retryPolicy = 'misskey';
		receiver.replyAlways({ status: 500 });
		const before = Date.now();
		await delivery.enqueue([hook], 'note', sampleBody);
		let delayed = await delivery.queue.getDelayed();
		for (let i = 0; i < 200 && delayed.length === 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			delayed = await delivery.queue.getDelayed();
		}
		assert.equal(delayed.length, 1);
		assert.equal(delayed[0].attemptsMade, 1);
		// Bull stores the due time × 4096 (plus job id bits) as the delayed score.
		const score = Number(await delivery.queue.client.zscore(delivery.queue.toKey('delayed'), String(delayed[0].id)));
		const dueInMs = Math.floor(score / 0x1000) - before;
		assert.ok(dueInMs >= 60_000 && dueInMs <= 72_000 + 1000, `due in ${dueInMs} ms`);
		await delayed[0].remove();
	});

	it('after a first 500 with the standard preset the job waits 4–6 s (5 s ± 20 %), as its attempt row says', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: undefined });
		const hook = await fixture.createWebhook(receiver.url('/standard-policy'));
		receiver.replyAlways({ status: 500 });
		const before = Date.now();
		await delivery.enqueue([hook], 'note', sampleBody);
		let delayed = await delivery.queue.getDelayed();
		for (let i = 0; i < 200 && delayed.length === 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			delayed = await delivery.queue.getDelayed();
		}
		assert.equal(delayed.length, 1);
		const score = Number(await delivery.queue.client.zscore(delivery.queue.toKey('delayed'), String(delayed[0].id)));
		const dueAt = Math.floor(score / 0x1000);
		assert.ok(dueAt - before >= 4000 && dueAt - before <= 6000 + 1000, `due in ${dueAt - before} ms`);
		await delivery.flushRecords();
		const [attempt] = await delivery.attempts.listByDelivery(String(delayed[0].id));
		// The worker chose the wait once: the queue's due time is the one the attempt log shows.
		assert.ok(Math.abs(attempt.nextAttemptAt!.getTime() - dueAt) < 50, `${attempt.nextAttemptAt?.toISOString()} vs ${new Date(dueAt).toISOString()}`);
		await delayed[0].remove();
	});
});
