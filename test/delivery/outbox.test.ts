import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { normalizeOptions } from '../../src/config/options.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { OUTBOX_EARLY_ADD_MAX_JOBS } from '../../src/delivery/outbox/outbox-writer.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { DeliveryStore } from '../../src/store/delivery-store.js';
import { generateId } from '../../src/store/id.js';
import { TestReceiver } from '../support/receiver.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { DeliveryFixture, sampleBody, uuidV4, waitUntilIdle } from './fixture.js';
import { attemptRowsOf, countStatements, deliveryRowOnce, deliveryRowsOf, queuePrefixOf, until } from './outbox-fixture.js';

describe('delivery: the outbox', () => {
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

	it("writes an event's delivery rows in ONE INSERT and queues its jobs while it runs: delivered before the commit, resolved after it, each attempt logged once its row is there", async () => {
		const delivery = await fixture.delivery({});
		const hooks = await Promise.all([1, 2, 3, 4, 5].map(() => fixture.createWebhook(receiver.url('/early'))));
		const holder = fixture.dataSource.createQueryRunner();
		await holder.connect();
		await holder.startTransaction();
		// Holds every write to the outbox table until the commit below, as a slow commit would.
		await holder.query('LOCK TABLE "webhook_delivery" IN SHARE MODE');
		let resolved = false;
		const inserts = countStatements(fixture.dataSource, /^INSERT INTO "webhook_delivery"/, () => delivery.enqueue(hooks, 'note', sampleBody)).finally(() => {
			resolved = true;
		});
		try {
			await receiver.waitForRequests(5, 5000, '/early');
			assert.equal((await fixture.dataSource.query(`SELECT 1 FROM "webhook_delivery" WHERE "url" = $1`, [receiver.url('/early')])).length, 0, 'no row yet');
			assert.equal(resolved, false, 'the enqueue waits for its rows');
		} finally {
			await holder.commitTransaction();
			await holder.release();
		}
		assert.equal(await inserts, 1);
		for (const hook of hooks) {
			const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
			assert.deepEqual((await attemptRowsOf(fixture.dataSource, row.id)).map((a) => [a.number, a.status]), [[1, 200]]);
		}
	});

	it(`a burst's jobs (more than ${OUTBOX_EARLY_ADD_MAX_JOBS} in one INSERT) are added once their rows are committed`, async () => {
		const producer = await fixture.delivery({}, false);
		const hooks = await Promise.all(Array.from({ length: OUTBOX_EARLY_ADD_MAX_JOBS + 4 }, () => fixture.createWebhook(receiver.url())));
		const originalAddBulk = producer.queue.addBulk.bind(producer.queue);
		const rowsWhenQueued: Array<[number, number]> = [];
		producer.queue.addBulk = (async (jobs: Array<{ data: UserWebhookDeliverJobData }>) => {
			const rows = await Promise.all(jobs.map((job) => producer.deliveries.findById(job.data.deliveryId!)));
			rowsWhenQueued.push([jobs.length, rows.filter((row) => row !== null).length]);
			return originalAddBulk(jobs as Parameters<typeof originalAddBulk>[0]);
		}) as typeof producer.queue.addBulk;
		try {
			// The first event goes alone (its job added at once); the others arrive while its INSERT runs and go together.
			await Promise.all(hooks.map((hook) => producer.enqueue([hook], 'note', sampleBody)));
		} finally {
			producer.queue.addBulk = originalAddBulk;
		}
		assert.deepEqual(rowsWhenQueued, [[hooks.length - 1, hooks.length - 1]]);
		assert.equal((await producer.queue.getWaiting()).length, hooks.length);
	});

	it('an INSERT PostgreSQL rejects (not an outage) rejects the enqueue, and its jobs are taken back from the queue', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url('/refused-row'));
		await producer.queue.isReady();
		const constraint = `mw_test_refuse_${randomUUID().slice(0, 8)}`;
		await fixture.dataSource.query(`ALTER TABLE "webhook_delivery" ADD CONSTRAINT "${constraint}" CHECK ("url" NOT LIKE '%/refused-row') NOT VALID`);
		try {
			await assert.rejects(producer.enqueue([hook], 'note', sampleBody), /violates check constraint/);
			// A burst: the first event goes alone, the rest in one batch whose jobs would be added after its commit.
			const burst = Array.from({ length: OUTBOX_EARLY_ADD_MAX_JOBS + 5 }, () => producer.enqueue([hook], 'note', sampleBody));
			const settled = await Promise.allSettled(burst);
			assert.deepEqual(new Set(settled.map((result) => result.status)), new Set(['rejected']));
		} finally {
			await fixture.dataSource.query(`ALTER TABLE "webhook_delivery" DROP CONSTRAINT "${constraint}"`);
		}
		assert.deepEqual(await deliveryRowsOf(fixture.dataSource, hook.id), []);
		await until(() => producer.queue.getJobCounts(), (counts) => counts.waiting === 0, 3000);
	});

	it('events raised at the same moment share their INSERT and their add: the first goes alone, the rest together', async () => {
		const producer = await fixture.delivery({}, false);
		const hooks = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fixture.createWebhook(receiver.url())));
		// A lone job goes by add, several by addBulk: each is one round trip.
		const originalAddBulk = producer.queue.addBulk.bind(producer.queue);
		const originalAdd = producer.queue.add.bind(producer.queue);
		const adds: number[] = [];
		producer.queue.addBulk = ((jobs: Parameters<typeof originalAddBulk>[0]) => {
			adds.push(jobs.length);
			return originalAddBulk(jobs);
		}) as typeof producer.queue.addBulk;
		producer.queue.add = ((...args: unknown[]) => {
			adds.push(1);
			return (originalAdd as (...rest: unknown[]) => unknown)(...args);
		}) as typeof producer.queue.add;
		const inserts = await countStatements(fixture.dataSource, /^INSERT INTO "webhook_delivery"/, async () => {
			await Promise.all(hooks.map((hook) => producer.enqueue([hook], 'note', sampleBody)));
		});
		producer.queue.addBulk = originalAddBulk;
		producer.queue.add = originalAdd;
		// The two lanes' adds may land in either order.
		assert.deepEqual([inserts, adds.sort((a, b) => a - b)], [2, [1, 5]]);
		assert.equal((await producer.queue.getWaiting()).length, 6);
		for (const hook of hooks) assert.equal((await deliveryRowsOf(fixture.dataSource, hook.id)).length, 1);
	});

	it('events written in one INSERT each keep their own body, byte for byte', async () => {
		const producer = await fixture.delivery({}, false);
		const bodies: unknown[] = [
			{ note: { text: 'say "hi" \\ back\\slash \u0001 \n\ttab 🎉 ünï \u2028 end', cw: null } },
			{ note: { text: '' } },
			'a bare string',
			[1, '{"not": "an object"}', null],
			{ note: { text: 'x'.repeat(5000) } },
		];
		const hooks = await Promise.all(bodies.map(() => fixture.createWebhook(receiver.url())));
		const inserts = await countStatements(fixture.dataSource, /^INSERT INTO "webhook_delivery"/, async () => {
			await Promise.all(hooks.map((hook, i) => producer.enqueue([hook], 'note', bodies[i])));
		});
		assert.equal(inserts, 2, 'the first event alone, the other four together');
		for (const [i, hook] of hooks.entries()) {
			const [row] = await deliveryRowsOf(fixture.dataSource, hook.id);
			assert.equal(row.body, JSON.stringify(bodies[i]));
		}
	});

	it('a body that is not JSON text is refused by the store before anything is written', async () => {
		const store = new DeliveryStore(fixture.dataSource);
		const row = {
			id: generateId(), webhookId: `hook${randomUUID().slice(0, 8)}`, userId: 'owner', eventId: randomUUID(), url: 'http://writer.example/', secret: 's',
			retryPolicy: 'standard' as const, sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'misskey' as const,
			deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
		};
		for (const bodyText of ['', 'a\u0001b']) {
			await assert.rejects(store.insertEvent({ kind: 'user', queuePrefix: 'unit', type: 'note', bodyText, createdAt: new Date() }, [row]), /must be JSON text/);
		}
		assert.equal(await store.findById(row.id), null);
	});

	it('a row holds what the job was built from: ids, event id, type, the body text, URL, secret, options and the schedule', async () => {
		const producer = await fixture.delivery({ retryDelaysMs: undefined }, false);
		const hook = await fixture.createWebhook(receiver.url('/row'), 'row-secret');
		const before = Date.now();
		await producer.enqueue([hook], 'reply', sampleBody);
		const [job] = await producer.queue.getWaiting();
		const [row] = await deliveryRowsOf(fixture.dataSource, hook.id);
		assert.equal(job.id, row.id, 'the Bull job id is the row id');
		assert.equal(job.data.deliveryId, row.id);
		assert.equal(row.webhookKind, 'user');
		assert.equal(row.userId, hook.userId);
		assert.equal(row.eventId, job.data.eventId);
		assert.match(row.eventId, uuidV4);
		assert.equal(row.type, 'reply');
		assert.equal(row.body, JSON.stringify(sampleBody));
		assert.equal(row.url, hook.url);
		assert.equal(row.secret, 'row-secret');
		assert.equal(row.retryPolicy, 'standard');
		assert.equal(row.sendSecretHeader, true);
		assert.equal(row.maxAttempts, 10);
		assert.equal(row.status, 'pending');
		assert.equal(row.attempts, 0);
		assert.equal(row.createdAt.getTime(), job.data.createdAt, 'the envelope time, to the millisecond');
		assert.ok(row.createdAt.getTime() >= before);
		assert.equal(row.nextAttemptAt?.getTime(), row.createdAt.getTime(), 'due at once');
		assert.equal(row.lastAttemptAt, null);
		assert.equal(row.finishedAt, null);
	});

	it('the same delivery is never queued twice: a second add under its id is ignored', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url());
		await producer.enqueue([hook], 'note', sampleBody);
		const [job] = await producer.queue.getWaiting();
		await producer.queue.addBulk([{ name: job.name, data: job.data, opts: { ...job.opts, jobId: String(job.id) } }]);
		assert.equal((await producer.queue.getWaiting()).length, 1);
	});

	it('a test send (one attempt, overridden URL and secret) gets its row too, with what was really sent', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url('/stored'), 'stored-secret');
		await producer.enqueue([hook], 'note', sampleBody, { attempts: 1, url: receiver.url('/override'), secret: 'one-off' });
		const [row] = await deliveryRowsOf(fixture.dataSource, hook.id);
		assert.deepEqual([row.url, row.secret, row.maxAttempts], [receiver.url('/override'), 'one-off', 1]);
	});

	it('a body that cannot be serialized fails the enqueue before anything is written', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url());
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		await assert.rejects(producer.enqueue([hook], 'note', cyclic), TypeError);
		assert.deepEqual(await deliveryRowsOf(fixture.dataSource, hook.id), []);
		assert.equal((await producer.queue.getWaiting()).length, 0);
	});

	it('when the queue refuses the jobs, enqueue does not throw: the rows wait, pending, for the reconciler', async () => {
		const producer = await fixture.delivery({}, false);
		const hook = await fixture.createWebhook(receiver.url('/late'));
		await producer.queue.isReady();
		// The queue refuses every add, as it does while its Redis connection is down. (Cutting the connection by hand
		// would leave a Bull queue whose close can wait for good on the connection's end.)
		const originalAddBulk = producer.queue.addBulk.bind(producer.queue);
		const originalAdd = producer.queue.add.bind(producer.queue);
		producer.queue.addBulk = (async () => { throw new Error('Connection is closed.'); }) as typeof producer.queue.addBulk;
		producer.queue.add = (async () => { throw new Error('Connection is closed.'); }) as typeof producer.queue.add;
		await producer.enqueue([hook], 'note', sampleBody);
		producer.queue.addBulk = originalAddBulk;
		producer.queue.add = originalAdd;
		assert.match(fixture.logger.lines.at(-1) ?? '', /queue unavailable; deliveries wait in the outbox.*"deliveries":1/);
		const [row] = await deliveryRowsOf(fixture.dataSource, hook.id);
		assert.equal(row.status, 'pending');
		// A worker on the same queue finds it and delivers it.
		const worker = await fixture.delivery({ queuePrefix: queuePrefixOf(producer.queue), reconcileSettleMs: 0 });
		const report = await worker.reconcile();
		assert.equal(report.requeued, 1);
		const [request] = await receiver.waitForRequests(1, 3000, '/late');
		assert.equal(request.json.eventId, row.eventId);
		await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
	});

	it('without the outbox (Misskey behaviour), nothing is written and the job carries no row id', async () => {
		const options = normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: testRedisUrl, queuePrefix: `mw-test-no-outbox-${randomUUID()}`, allowedPrivateNetworks: testAllowedPrivateNetworks, retryDelaysMs: [] });
		const plain = new UserWebhookDelivery({ dataSource: fixture.dataSource, options, logger: fixture.logger, outbox: false });
		try {
			await plain.startWorker();
			const hook = await fixture.createWebhook(receiver.url('/plain'));
			await plain.enqueue([hook], 'note', sampleBody);
			await receiver.waitForRequests(1, 3000, '/plain');
			await waitUntilIdle(plain.queue);
			await plain.flushRecords();
			assert.deepEqual(await deliveryRowsOf(fixture.dataSource, hook.id), []);
			const [job] = await plain.queue.getCompleted();
			assert.equal(job.data.deliveryId, undefined);
			assert.equal((await fixture.rowWithStatus(hook.id)).latestStatus, 200, 'the status is still written');
		} finally {
			await plain.queue.obliterate({ force: true });
			await plain.close();
		}
	});

	it('a Misskey-shaped job (no row id) is delivered and leaves no attempt rows', async () => {
		const delivery = await fixture.delivery();
		const hook = await fixture.createWebhook(receiver.url('/misskey-job'));
		await delivery.queue.add({ type: 'note', content: sampleBody, webhookId: hook.id, userId: hook.userId, to: hook.url, secret: '', createdAt: Date.now(), eventId: randomUUID() } as UserWebhookDeliverJobData);
		await receiver.waitForRequests(1, 3000, '/misskey-job');
		await waitUntilIdle(delivery.queue);
		await delivery.flushRecords();
		const [{ count }] = await fixture.dataSource.query(`SELECT count(*)::int AS count FROM "webhook_delivery_attempt" "a" JOIN "webhook_delivery" "d" ON "d"."id" = "a"."deliveryId" WHERE "d"."webhookId" = $1`, [hook.id]);
		assert.equal(count, 0);
	});

	it('a delivered event: the row ends delivered with one attempt, and the envelope sent is the body stored', async () => {
		const delivery = await fixture.delivery();
		const hook = await fixture.createWebhook(receiver.url('/ok'));
		await delivery.enqueue([hook], 'note', sampleBody);
		const [request] = await receiver.waitForRequests(1, 3000, '/ok');
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		assert.equal(JSON.stringify(request.json.body), row.body);
		assert.equal(request.json.eventId, row.eventId);
		assert.equal(request.json.createdAt, row.createdAt.getTime());
		assert.equal(row.attempts, 1);
		assert.equal(row.lastStatus, 200);
		assert.equal(row.nextAttemptAt, null);
		assert.ok(row.finishedAt && row.lastAttemptAt && row.finishedAt >= row.lastAttemptAt);
		assert.equal((await attemptRowsOf(fixture.dataSource, row.id)).length, 1);
	});
});
