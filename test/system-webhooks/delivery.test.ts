import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions, type WebhookModuleOptions } from '../../src/config/options.js';
import { SYSTEM_WEBHOOK_DELIVER_QUEUE } from '../../src/delivery/queue/queue.js';
import { SystemWebhookDelivery, SYSTEM_WEBHOOK_WORKER_CONCURRENCY } from '../../src/delivery/system-webhook-delivery.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { dummySystemWebhookBody } from '../../src/api/packing/system-dummies.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger, uuidV4, waitUntilIdle } from '../delivery/fixture.js';

const SERVER_URL = 'https://misskey.example';

describe('delivery: system webhooks', () => {
	let dataSource: DataSource;
	let systemStore: SystemWebhookStore;
	let receiver: TestReceiver;
	const logger = new CapturingLogger();
	const deliveries: Array<{ delivery: SystemWebhookDelivery; prefix: string }> = [];
	const schemas = createSchemaValidator();

	async function newDelivery(overrides: Partial<WebhookModuleOptions> = {}, startWorker = true): Promise<SystemWebhookDelivery> {
		const prefix = `mw-test-system-delivery-${randomUUID()}`;
		const options = normalizeOptions({
			serverUrl: SERVER_URL,
			redisUrl: testRedisUrl,
			queuePrefix: prefix,
			retryDelaysMs: [20, 20],
			requestTimeoutMs: 1000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
			...overrides,
		});
		const delivery = new SystemWebhookDelivery({ dataSource, options, logger });
		deliveries.push({ delivery, prefix });
		if (startWorker) await delivery.startWorker();
		return delivery;
	}

	const createHook = (url: string, secret = 'system-secret'): Promise<SystemWebhookEntity> =>
		systemStore.create({ isActive: true, name: 'system hook', on: ['userCreated'], url, secret });

	async function rowWithStatus(id: string, timeoutMs = 1000): Promise<SystemWebhookEntity> {
		const deadline = Date.now() + timeoutMs;
		let row = await systemStore.repository.findOneByOrFail({ id });
		while (row.latestStatus === null && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			row = await systemStore.repository.findOneByOrFail({ id });
		}
		return row;
	}

	before(async () => {
		dataSource = await createMigratedDataSource();
		systemStore = new SystemWebhookStore(dataSource);
		receiver = await new TestReceiver().start();
	});
	afterEach(() => receiver.clear());
	after(async () => {
		const redis = new Redis(testRedisUrl);
		try {
			for (const { delivery, prefix } of deliveries) {
				await delivery.close();
				const keys = await redis.keys(`${prefix}:*`);
				if (keys.length > 0) await redis.del(...keys);
			}
		} finally {
			redis.disconnect();
			await receiver.close();
			await dataSource.destroy();
		}
	});

	it("queues one job per webhook on systemWebhookDeliver, named by webhook id, with Misskey's job data (no userId) and the user queue's options", async () => {
		const producer = await newDelivery({ retryDelaysMs: undefined }, false);
		const userProducer = new UserWebhookDelivery({ dataSource, options: normalizeOptions({ serverUrl: SERVER_URL, redisUrl: testRedisUrl, queuePrefix: `mw-test-system-delivery-user-${randomUUID()}` }), logger });
		const hook = await createHook(receiver.url('/queued'), 'queued-secret');
		const before = Date.now();
		await producer.enqueue([hook], 'userCreated', { id: 'u1' });
		assert.equal(producer.queue.name, SYSTEM_WEBHOOK_DELIVER_QUEUE);
		assert.equal(producer.queue.name, 'systemWebhookDeliver');
		const [job] = await producer.queue.getWaiting();
		assert.equal(job.name, hook.id);
		// Misskey's keys in Misskey's order, then ours (preset, clear-secret switch, body format, outbox row).
		assert.deepEqual(Object.keys(job.data), ['type', 'content', 'webhookId', 'to', 'secret', 'createdAt', 'eventId', 'retryPolicy', 'sendSecretHeader', 'format', 'templateContentType', 'deliveryId']);
		assert.equal(job.data.type, 'userCreated');
		assert.deepEqual(job.data.content, { id: 'u1' });
		assert.equal(job.data.webhookId, hook.id);
		assert.equal(job.data.to, hook.url);
		assert.equal(job.data.secret, 'queued-secret');
		assert.match(job.data.eventId, uuidV4);
		assert.ok(job.data.createdAt >= before && job.data.createdAt <= Date.now());
		assert.deepEqual(job.opts.backoff, { type: 'custom' });
		assert.deepEqual(job.opts.removeOnComplete, { age: 604800, count: 30 });
		assert.deepEqual(job.opts.removeOnFail, { age: 604800, count: 100 });
		try {
			await userProducer.enqueue([{ id: hook.id, userId: 'owner', url: hook.url, secret: '' }], 'note', {});
			const [userJob] = await userProducer.queue.getWaiting();
			assert.equal(job.opts.attempts, userJob.opts.attempts, 'the same retry policy as user webhooks');
			assert.deepEqual(job.opts.backoff, userJob.opts.backoff);
		} finally {
			await userProducer.queue.obliterate({ force: true });
			await userProducer.close();
		}
	});

	it('POSTs the envelope without userId, keys in Misskey order, with the same headers as user webhooks', async () => {
		const delivery = await newDelivery();
		const hook = await createHook(receiver.url('/envelope'));
		const body = dummySystemWebhookBody('abuseReport');
		await delivery.enqueue([hook], 'abuseReport', body);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.method, 'POST');
		assert.deepEqual(Object.keys(request.json), ['server', 'hookId', 'eventId', 'createdAt', 'type', 'body']);
		assert.ok(!('userId' in request.json));
		schemas.assert('SystemWebhookEnvelope', request.json);
		schemas.assert(eventBodySchemaName('abuseReport'), request.json.body);
		assert.equal(request.json.server, SERVER_URL);
		assert.equal(request.json.hookId, hook.id);
		assert.equal(request.json.type, 'abuseReport');
		assert.deepEqual(request.json.body, body);
		assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
		assert.equal(request.headers['x-misskey-host'], 'misskey.example');
		assert.equal(request.headers['x-misskey-hook-id'], hook.id);
		assert.equal(request.headers['x-misskey-hook-secret'], 'system-secret');
		assert.match(String(request.headers['content-type']), /^application\/json/);
		await waitUntilIdle(delivery.queue);
	});

	it('writes latestSentAt and latestStatus into system_webhook, never into a webhook row with the same id', async () => {
		const delivery = await newDelivery();
		const hook = await createHook(receiver.url('/status'));
		// A user webhook sharing the id: a status written to the wrong table would land on it.
		await new WebhookStore(dataSource).repository.insert({ id: hook.id, userId: 'someone', name: 'user hook', on: ['note'], url: 'https://u.example/', secret: '', active: true, latestSentAt: null, latestStatus: null });
		receiver.replyAlways({ status: 201 });
		const before = Date.now();
		await delivery.enqueue([hook], 'userCreated', dummySystemWebhookBody('userCreated'));
		await waitUntilIdle(delivery.queue);
		const row = await rowWithStatus(hook.id);
		assert.equal(row.latestStatus, 201);
		assert.ok(row.latestSentAt && row.latestSentAt.getTime() >= before - 5);
		const [userRow] = await dataSource.query(`SELECT "latestStatus" FROM "webhook" WHERE "id" = $1`, [hook.id]);
		assert.equal(userRow.latestStatus, null);
		assert.equal(row.updatedAt.getTime(), hook.updatedAt.getTime(), 'a status write is no update of the webhook');
	});

	it('is retried like a user delivery: a 500 then a 200 makes two requests with one eventId, and the status ends 200', async () => {
		const delivery = await newDelivery();
		const hook = await createHook(receiver.url('/retry'));
		receiver.replyNext({ status: 500 });
		await delivery.enqueue([hook], 'inactiveModeratorsInvitationOnlyChanged', {});
		const requests = await receiver.waitForRequests(2);
		await waitUntilIdle(delivery.queue);
		assert.equal(requests[0].json.eventId, requests[1].json.eventId);
		assert.equal((await rowWithStatus(hook.id)).latestStatus, 200);
		const failure = logger.entries.find((entry) => entry.fields.webhookId === hook.id && entry.fields.result === 'will_retry');
		assert.deepEqual([failure?.fields.kind, failure?.fields.attempt, failure?.fields.attemptsAllowed, failure?.fields.status], ['system', 1, 3, 500], logger.lines.join('\n'));
	});

	it('a 404 is final after one request, as for user webhooks', async () => {
		const delivery = await newDelivery();
		const hook = await createHook(receiver.url('/gone-wrong'));
		receiver.replyAlways({ status: 404 });
		await delivery.enqueue([hook], 'userCreated', dummySystemWebhookBody('userCreated'));
		await waitUntilIdle(delivery.queue);
		assert.equal((await receiver.settle(60)).length, 1);
		assert.equal((await rowWithStatus(hook.id)).latestStatus, 404);
	});

	it(`delivers ${SYSTEM_WEBHOOK_WORKER_CONCURRENCY} jobs at once per process, whatever workerConcurrency says`, async () => {
		assert.equal(SYSTEM_WEBHOOK_WORKER_CONCURRENCY, 16);
		const delivery = await newDelivery({ workerConcurrency: 64, concurrencyPerTargetHost: 64, requestTimeoutMs: 5000 });
		// The receiver has answered before: a host that has not answered yet gets 2 slots until it does (docs/fairness.md).
		await delivery.enqueue([await createHook(receiver.url('/warm-up'))], 'userCreated', dummySystemWebhookBody('userCreated'));
		await receiver.waitForRequests(1);
		await waitUntilIdle(delivery.queue);
		receiver.clear();
		const hooks = await Promise.all(Array.from({ length: 24 }, (_, i) => createHook(receiver.url(`/slow${i}`))));
		receiver.replyAlways({ status: 204, delayMs: 700 });
		await delivery.enqueue(hooks, 'userCreated', dummySystemWebhookBody('userCreated'));
		await receiver.waitForRequests(16);
		// Every slot is busy for 700 ms; a seventeenth request would arrive within this pause if a slot were free.
		const inFlight = (await receiver.settle(300)).length;
		assert.equal(inFlight, 16);
		await receiver.waitForRequests(24, 5000);
		await waitUntilIdle(delivery.queue);
	});
});
