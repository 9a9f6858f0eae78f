import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryFixture, sampleBody, uuidV4, waitUntilIdle } from './fixture.js';

describe('delivery: envelope and headers', () => {
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

	it("POSTs Misskey's envelope, keys in order, with Misskey's headers", async () => {
		const delivery = await fixture.delivery({ serverUrl: 'https://misskey.example:8443/' });
		const hook = await fixture.createWebhook(receiver.url(), 's3cret');
		const before = Date.now();
		await delivery.enqueue([hook], 'note', sampleBody);
		const after = Date.now();
		const [request] = await receiver.waitForRequests(1);

		assert.equal(request.method, 'POST');
		assert.equal(request.path, '/hook');
		assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
		assert.equal(request.headers['x-misskey-host'], 'misskey.example:8443');
		assert.equal(request.headers['x-misskey-hook-id'], hook.id);
		assert.equal(request.headers['x-misskey-hook-secret'], 's3cret');
		assert.equal(request.headers['content-type'], 'application/json');
		assert.deepEqual(Object.keys(request.json), ['server', 'hookId', 'userId', 'eventId', 'createdAt', 'type', 'body']);
		assert.equal(request.json.server, 'https://misskey.example:8443');
		assert.equal(request.json.hookId, hook.id);
		assert.equal(request.json.userId, hook.userId);
		assert.match(request.json.eventId, uuidV4);
		assert.equal(typeof request.json.createdAt, 'number');
		assert.ok(request.json.createdAt >= before && request.json.createdAt <= after, 'createdAt is the enqueue time in ms');
		assert.equal(request.json.type, 'note');
		assert.deepEqual(request.json.body, sampleBody);
	});

	it('an empty secret still sends an empty X-Misskey-Hook-Secret header', async () => {
		const delivery = await fixture.delivery();
		const hook = await fixture.createWebhook(receiver.url(), '');
		await delivery.enqueue([hook], 'follow', { user: { id: 'u1' } });
		const [request] = await receiver.waitForRequests(1);
		assert.ok('x-misskey-hook-secret' in request.headers, 'header present');
		assert.equal(request.headers['x-misskey-hook-secret'], '');
	});

	it('every retry of one job carries the same eventId and the same bytes', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [20, 20] });
		const hook = await fixture.createWebhook(receiver.url());
		receiver.replyNext({ status: 500 }, { status: 503 }, { status: 200 });
		await delivery.enqueue([hook], 'note', sampleBody);
		const requests = await receiver.waitForRequests(3);
		assert.equal(requests.length, 3);
		assert.equal(new Set(requests.map((r) => r.json.eventId)).size, 1);
		assert.equal(new Set(requests.map((r) => r.rawBody)).size, 1);
	});

	it('two webhooks receiving one event get different eventIds and the same createdAt', async () => {
		const delivery = await fixture.delivery();
		const first = await fixture.createWebhook(receiver.url('/first'));
		const second = await fixture.createWebhook(receiver.url('/second'));
		await delivery.enqueue([first, second], 'note', sampleBody);
		const requests = await receiver.waitForRequests(2);
		const byHook = new Map(requests.map((r) => [r.json.hookId, r.json]));
		assert.equal(byHook.get(first.id).userId, first.userId);
		assert.equal(byHook.get(second.id).userId, second.userId);
		assert.notEqual(byHook.get(first.id).eventId, byHook.get(second.id).eventId);
		assert.equal(byHook.get(first.id).createdAt, byHook.get(second.id).createdAt);
	});

	it('URL and secret are copied at enqueue: editing the row afterwards changes nothing for the queued job', async () => {
		const elsewhere = await new TestReceiver().start();
		try {
			const producer = await fixture.delivery({}, false);
			const hook = await fixture.createWebhook(receiver.url('/old'), 'old-secret');
			await producer.enqueue([hook], 'note', sampleBody);
			await fixture.store.update(hook.id, hook.userId, { url: elsewhere.url('/new'), secret: 'new-secret' });
			await producer.startWorker();
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.path, '/old');
			assert.equal(request.headers['x-misskey-hook-secret'], 'old-secret');
			await waitUntilIdle(producer.queue);
			assert.equal(elsewhere.requests.length, 0);
		} finally {
			await elsewhere.close();
		}
	});

	it('enqueue overrides send one attempt to the given URL with the given secret', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [20, 20] });
		const hook = await fixture.createWebhook(receiver.url('/saved'), 'saved-secret');
		receiver.replyAlways({ status: 500 });
		await delivery.enqueue([hook], 'note', sampleBody, { attempts: 1, url: receiver.url('/override'), secret: 'override-secret' });
		await waitUntilIdle(delivery.queue);
		const requests = await receiver.settle(100);
		assert.equal(requests.length, 1);
		assert.equal(requests[0].path, '/override');
		assert.equal(requests[0].headers['x-misskey-hook-secret'], 'override-secret');
		assert.equal(requests[0].json.hookId, hook.id);
	});

	it('enqueueing no targets queues nothing', async () => {
		const delivery = await fixture.delivery();
		await delivery.enqueue([], 'note', sampleBody);
		const counts = await delivery.queue.getJobCounts();
		assert.equal(counts.waiting + counts.active + counts.delayed + counts.completed, 0);
	});
});
