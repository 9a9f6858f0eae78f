import assert from 'node:assert/strict';
import http from 'node:http';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { closedPortUrl, DeliveryFixture, sampleBody } from './fixture.js';
import { attemptRowsOf, deliveryRowsOf, until } from './outbox-fixture.js';

/** One webhook's deliveries: `count` events, each enqueued on its own like separate notes. */
async function enqueueMany(delivery: UserWebhookDelivery, hook: WebhookEntity, count: number): Promise<void> {
	for (let i = 0; i < count; i++) await delivery.enqueue([hook], 'note', { ...sampleBody, n: i });
}

/** An HTTP server started later on the port a webhook points at (connections are refused until then); answers 204. */
function laterReceiver(url: string) {
	const received: string[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string }).eventId);
			res.writeHead(204).end();
		});
	});
	return {
		received,
		start: () => new Promise<void>((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve)),
		close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
	};
}

describe('delivery: no receiver can stall the others (docs/fairness.md)', function () {
	this.timeout(60_000);
	let fixture: DeliveryFixture;
	let healthy: TestReceiver;
	let hanging: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		healthy = await new TestReceiver().start();
		hanging = await new TestReceiver().start();
		hanging.replyAlways({ hang: true });
	});
	after(async () => {
		// Closing the hanging receiver first ends its requests, so closing the deliveries does not wait out their timeout.
		await hanging.close();
		await fixture.close();
		await healthy.close();
	});

	it('while more deliveries than worker slots wait on a receiver that never answers, a delivery to another receiver goes out at once', async () => {
		// A request timeout far longer than the test may wait: the healthy delivery must not wait for the hanging ones at all.
		const delivery = await fixture.delivery({ requestTimeoutMs: 30_000, workerConcurrency: 16, concurrencyPerTargetHost: 8 });
		const dead = await fixture.createWebhook(hanging.url('/never'));
		const good = await fixture.createWebhook(healthy.url('/good'));
		await enqueueMany(delivery, dead, 40);
		await hanging.waitForRequests(1, 10_000);
		const enqueuedAt = Date.now();
		await delivery.enqueue([good], 'note', sampleBody);
		const [arrived] = await healthy.waitForRequests(1, 15_000, '/good');
		assert.ok(arrived.receivedAt - enqueuedAt < 15_000);
		// Not one hanging request has timed out yet, and every one of the 40 is still pending with no attempt written.
		const deadRows = await deliveryRowsOf(fixture.dataSource, dead.id);
		assert.equal(deadRows.length, 40);
		assert.ok(deadRows.every((row) => row.status === 'pending' && row.attempts === 0), JSON.stringify(deadRows.map((row) => [row.status, row.attempts])));
		// A host that has not answered yet holds 2 slots, not concurrencyPerTargetHost; the rest stepped aside.
		assert.ok(hanging.requests.length <= 2, `${hanging.requests.length} requests reached the hanging receiver`);
		const fairness = delivery.fairness();
		const deadHost = fairness.hosts.find((host) => host.host === new URL(dead.url).host);
		assert.equal(deadHost?.inFlight, hanging.requests.length);
		assert.ok(fairness.deferrals['host-busy'] + fairness.deferrals['in-line'] >= 38, JSON.stringify(fairness.deferrals));
	});

	it('a receiver that answers fast gets more requests at once than concurrencyPerTargetHost with the defaults; a share set by hand stays a cap', async () => {
		// Counts the requests a receiver holds at once, each answered 20 ms after it arrived.
		const peakAt = async (options: Parameters<DeliveryFixture['delivery']>[0]): Promise<number> => {
			const receiver = await new TestReceiver().start();
			let open = 0;
			let peak = 0;
			receiver.replyAlways(() => {
				peak = Math.max(peak, ++open);
				setTimeout(() => open--, 20);
				return { status: 204, delayMs: 20 };
			});
			try {
				const delivery = await fixture.delivery(options);
				const hook = await fixture.createWebhook(receiver.url('/fast'));
				await Promise.all(Array.from({ length: 400 }, (_, i) => delivery.enqueue([hook], 'note', { ...sampleBody, n: i })));
				await receiver.waitForRequests(400, 30_000, '/fast');
				return peak;
			} finally {
				await receiver.close();
			}
		};
		const grown = await peakAt({});
		assert.ok(grown > 8, `the defaults let a fast receiver hold ${grown} requests at once`);
		assert.ok(grown <= 64, `never more than workerConcurrency: ${grown}`);
		const capped = await peakAt({ concurrencyPerTargetHost: 8 });
		assert.ok(capped <= 8, `concurrencyPerTargetHost set by hand held it to ${capped}`);
	});

	it('a job over its webhook\'s delivery rate steps aside, counted as webhook-rate beside the gate\'s reasons', async () => {
		const delivery = await fixture.delivery();
		const hook = await fixture.createWebhook(healthy.url('/rated'));
		// One delivery a minute, burst 1: the first goes, the next two wait for their slots.
		const rated = { ...hook, deliveryRate: 1 / 60, deliveryBurst: 1 };
		for (let i = 0; i < 3; i++) await delivery.enqueue([rated], 'note', { ...sampleBody, n: i });
		await healthy.waitForRequests(1, 10_000, '/rated');
		await until(() => Promise.resolve(delivery.fairness().deferrals['webhook-rate']), (count) => count >= 2);
		assert.equal(healthy.requests.filter((request) => request.path === '/rated').length, 1);
	});

	it('the circuit opens after the threshold; its deferred jobs send nothing, write no attempt, keep their attempt count, and the reconciler leaves them alone', async () => {
		const url = await closedPortUrl();
		const delivery = await fixture.delivery({ circuitBreakerThreshold: 3, circuitBreakerCoolDownMs: 60_000, retryDelaysMs: [60_000], reconcileSettleMs: 0 });
		const hook = await fixture.createWebhook(url);
		await enqueueMany(delivery, hook, 3);
		await until(() => Promise.resolve(delivery.fairness().hosts[0]?.circuit), (circuit) => circuit === 'open');
		assert.ok(fixture.logger.entries.some((entry) => entry.message.includes('circuit opened') && entry.fields.targetHost === new URL(url).host && entry.fields.attemptsWithoutAnswer === 3));

		await enqueueMany(delivery, hook, 5);
		await until(() => Promise.resolve(delivery.fairness().deferrals['circuit-open']), (count) => count >= 5);
		await delivery.flushRecords();
		const rows = await deliveryRowsOf(fixture.dataSource, hook.id);
		const deferred = rows.slice(3);
		for (const row of deferred) {
			assert.equal(row.status, 'pending');
			assert.equal(row.attempts, 0);
			assert.deepEqual(await attemptRowsOf(fixture.dataSource, row.id), []);
			const job = await delivery.queue.getJob(row.id);
			assert.equal(await job?.getState(), 'delayed');
			assert.equal(job?.attemptsMade, 0);
		}
		// The three that were tried have one attempt each and wait for their retry: the circuit added none.
		for (const row of rows.slice(0, 3)) assert.equal((await attemptRowsOf(fixture.dataSource, row.id)).length, 1);

		const before = await delivery.queue.getJobCounts();
		const report = await delivery.reconcile();
		assert.equal(report.requeued, 0);
		assert.deepEqual(await delivery.queue.getJobCounts(), before);
		assert.equal((await delivery.queue.getDelayed()).length, 8, 'each delivery once: 3 waiting for their retry, 5 deferred');
	});

	it('jobs one worker process deferred come back as soon as the receiver answers another process, not at their far-off due times', async () => {
		const receiver = await new TestReceiver().start();
		try {
			receiver.replyAlways({ hang: true });
			const queuePrefix = `mw-test-delivery-line-${Date.now()}`;
			// The first worker sees a receiver that does not answer: 2 requests hang, the other 4 jobs step aside for 20 s and more.
			const first = await fixture.delivery({ queuePrefix, requestTimeoutMs: 20_000, workerConcurrency: 8 });
			const hook = await fixture.createWebhook(receiver.url('/line'));
			await enqueueMany(first, hook, 6);
			await until(() => first.queue.getDelayedCount(), (delayed) => delayed === 4);
			// That worker takes no more jobs (as if its process were gone); the receiver answers from now on.
			await first.queue.pause(true, true);
			receiver.replyAlways({ status: 204 });
			const second = await fixture.delivery({ queuePrefix, requestTimeoutMs: 20_000, workerConcurrency: 8 });
			const startedAt = Date.now();
			await second.enqueue([hook], 'note', { ...sampleBody, n: 'fresh' });
			// The fresh one, then the 4 the first worker set aside: all within seconds, far before their due times.
			const arrived = await receiver.waitForRequests(2 + 5, 8_000, '/line');
			assert.ok(Date.now() - startedAt < 8_000);
			const answered = arrived.slice(2).map((request) => (request.json as { body: { n: unknown } }).body.n);
			assert.deepEqual(new Set(answered), new Set([2, 3, 4, 5, 'fresh']), JSON.stringify(answered));
		} finally {
			await receiver.close();
		}
	});

	it('after the cool-down one probe at a time; when the receiver is back the circuit closes and every delivery arrives once', async () => {
		const url = await closedPortUrl();
		const receiver = laterReceiver(url);
		try {
			const delivery = await fixture.delivery({
				circuitBreakerThreshold: 2,
				circuitBreakerCoolDownMs: 300,
				circuitBreakerMaxCoolDownMs: 600,
				retryDelaysMs: Array.from({ length: 30 }, () => 100),
			});
			const hook = await fixture.createWebhook(url);
			await enqueueMany(delivery, hook, 10);
			await until(() => Promise.resolve(delivery.fairness().circuitsOpened), (opened) => opened === 1);
			// Let a few probes fail against the closed port, then bring the receiver up.
			await until(() => Promise.resolve(fixture.logger.lines.filter((line) => line.includes('probe got no answer')).length), (probes) => probes >= 2, 10_000);
			await receiver.start();
			const rows = await until(() => deliveryRowsOf(fixture.dataSource, hook.id), (found) => found.every((row) => row.status === 'delivered'), 20_000);
			assert.equal(delivery.fairness().circuitsClosed, 1);
			assert.ok(fixture.logger.entries.some((entry) => entry.message.includes('circuit closed') && entry.fields.targetHost === new URL(url).host));
			assert.equal(new Set(receiver.received).size, 10, 'every delivery arrived');
			assert.equal(receiver.received.length, 10, 'and only once');
			await delivery.flushRecords();
			let failedAttempts = 0;
			for (const row of rows) failedAttempts += (await attemptRowsOf(fixture.dataSource, row.id)).filter((attempt) => attempt.status !== 204).length;
			// Without the circuit each of the 10 would have failed every 100 ms until the receiver came up.
			const probes = fixture.logger.lines.filter((line) => line.includes('probe got no answer')).length + 1;
			assert.ok(failedAttempts <= 2 + probes, `${failedAttempts} failed attempts, ${probes} probes`);
		} finally {
			await receiver.close();
		}
	});
});
