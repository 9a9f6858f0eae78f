import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver, type ReceivedRequest, type Reply } from '../support/receiver.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { testRedisUrl } from '../support/env.js';
import { DeliveryFixture, sampleBody } from './fixture.js';
import { deliveryRowsOf, queuePrefixOf, until } from './outbox-fixture.js';

// Deletes every key of one queue at one instant: what FLUSHALL (or a restart without persistence) does to that queue,
// without touching the other suites' keys in the same Redis.
const WIPE_QUEUE = `local keys = redis.call('KEYS', ARGV[1]) for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end return #keys`;

/** Counts the 2xx answers the receiver gave per event id: a delivery is done exactly once when its count is 1. */
class SuccessLedger {
	readonly successes = new Map<string, number>();
	readonly requests = new Map<string, number>();

	/** A reply function: `firstReply` answers the first request of an event, 200 after `delayMs` every later one. */
	replies(firstReply: (request: ReceivedRequest) => Reply, delayMs: number): (request: ReceivedRequest) => Reply {
		return (request) => {
			const eventId: string = request.json.eventId;
			const seen = this.requests.get(eventId) ?? 0;
			this.requests.set(eventId, seen + 1);
			const reply = seen === 0 ? firstReply(request) : { status: 200, delayMs };
			if ('status' in reply && reply.status !== undefined && reply.status < 300) this.successes.set(eventId, (this.successes.get(eventId) ?? 0) + 1);
			return reply;
		};
	}
}

describe('delivery: Redis losing or dropping the queue', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;
	const proxies: TcpProxy[] = [];

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});
	afterEach(() => receiver.clear());
	after(async () => {
		// The deliveries talk to Redis through the proxies: they close first.
		await fixture.close();
		for (const proxy of proxies) await proxy.close();
		await receiver.close();
	});

	async function hooksAt(path: string, count: number): Promise<WebhookEntity[]> {
		return Promise.all(Array.from({ length: count }, () => fixture.createWebhook(receiver.url(path))));
	}

	async function enqueueInEvents(delivery: UserWebhookDelivery, hooks: WebhookEntity[], perEvent = 10): Promise<void> {
		for (let i = 0; i < hooks.length; i += perEvent) await delivery.enqueue(hooks.slice(i, i + perEvent), 'note', sampleBody);
	}

	it('the queue wiped mid-flight (some delayed for retry, some waiting, some running): the reconciler re-queues every unfinished delivery, zero lost, zero doubled', async () => {
		const delivery = await fixture.delivery({
			retryDelaysMs: [400, 400], workerConcurrency: 4, concurrencyPerTargetHost: 4, reconcileIntervalMs: 250, reconcileSettleMs: 100,
		});
		const hooks = await hooksAt('/wiped', 60);
		const ledger = new SuccessLedger();
		// A third fail their first attempt and wait in the delayed set; the rest are slow enough that many are still waiting.
		receiver.replyAlways(ledger.replies((request) => (request.json.hookId.charCodeAt(request.json.hookId.length - 1) % 3 === 0 ? { status: 500 } : { status: 200, delayMs: 25 }), 25));
		await enqueueInEvents(delivery, hooks);
		await until(async () => ({ ...(await delivery.queue.getJobCounts()), successes: ledger.successes.size }), (c) => c.successes >= 5 && c.delayed >= 1 && c.waiting >= 5, 8000);

		const redis = new Redis(testRedisUrl);
		try {
			const wiped = await redis.eval(WIPE_QUEUE, 0, `${queuePrefixOf(delivery.queue)}:*`);
			assert.ok(Number(wiped) > 0);
		} finally {
			redis.disconnect();
		}

		const rows = await until(() => Promise.all(hooks.map((hook) => deliveryRowsOf(fixture.dataSource, hook.id))), (all) => all.every((r) => r.length === 1 && r[0].status === 'delivered'), 15_000);
		await receiver.settle(300);
		for (const [row] of rows) {
			assert.equal(ledger.successes.get(row.eventId), 1, `event ${row.eventId} was delivered ${ledger.successes.get(row.eventId) ?? 0} times`);
		}
		assert.equal(ledger.successes.size, hooks.length);
		assert.match(fixture.logger.lines.join('\n'), /reconciler: re-queued deliveries missing from the queue.*"requeued":[1-9]/);
	});

	it('Redis unreachable for a while: deliveries wait and resume, none lost, and an event raised meanwhile is delivered too', async () => {
		const proxy = await TcpProxy.forUrl(testRedisUrl, 6379);
		proxies.push(proxy);
		const delivery = await fixture.delivery({ redisUrl: proxy.url(testRedisUrl), retryDelaysMs: [200, 200, 200], workerConcurrency: 2, concurrencyPerTargetHost: 2 });
		const hooks = await hooksAt('/outage', 30);
		const late = await hooksAt('/outage-late', 5);
		const ledger = new SuccessLedger();
		receiver.replyAlways(ledger.replies(() => ({ status: 200, delayMs: 30 }), 30));
		await enqueueInEvents(delivery, hooks);
		await until(async () => ledger.successes.size, (n) => n >= 3);

		proxy.cut();
		assert.ok(ledger.successes.size < hooks.length, 'deliveries were still under way when Redis went away');
		const raisedDuringOutage = enqueueInEvents(delivery, late);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		proxy.restore();
		await raisedDuringOutage;

		const all = [...hooks, ...late];
		const rows = await until(() => Promise.all(all.map((hook) => deliveryRowsOf(fixture.dataSource, hook.id))), (found) => found.every((r) => r.length === 1 && r[0].status === 'delivered'), 18_000);
		for (const [row] of rows) assert.ok((ledger.successes.get(row.eventId) ?? 0) >= 1, `event ${row.eventId} lost`);
	});
});
