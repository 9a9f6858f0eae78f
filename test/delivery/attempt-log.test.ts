import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EntityManager, QueryRunner } from 'typeorm';
import { AttemptLog, progressOf } from '../../src/delivery/log/attempt-log.js';
import type { AttemptRecord } from '../../src/delivery/log/attempt-record.js';
import { RESPONSE_BODY_PREFIX_BYTES } from '../../src/delivery/sender/sender.js';
import { DeliveryStore } from '../../src/store/delivery-store.js';
import { generateId } from '../../src/store/id.js';
import { TestReceiver } from '../support/receiver.js';
import { CapturingLogger, closedPortUrl, DeliveryFixture, sampleBody, waitUntilIdle } from './fixture.js';
import { attemptRowsOf, countStatements, deliveryRowOnce, until } from './outbox-fixture.js';
import { aroundStatements } from '../support/statements.js';

describe('delivery: the attempt log', () => {
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

	it('one row per attempt: number, time, duration, status, reason, the first 2 KB of the body, and when the next is due', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [150] });
		const hook = await fixture.createWebhook(receiver.url('/flaky'));
		receiver.replyNext({ status: 503, body: 'é'.repeat(1500), delayMs: 40 }, { status: 200, body: 'thanks' });
		await delivery.enqueue([hook], 'note', sampleBody);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		const [first, second] = await attemptRowsOf(fixture.dataSource, row.id);
		const [firstRequest, secondRequest] = receiver.requests;

		assert.equal(first.number, 1);
		assert.equal(first.trigger, 'scheduled');
		assert.equal(first.status, 503);
		assert.equal(first.errorClass, null);
		assert.equal(first.reason, '503 Service Unavailable');
		assert.ok(Math.abs(first.startedAt.getTime() - firstRequest.receivedAt) < 100);
		assert.ok(first.durationMs >= 35 && first.durationMs < 1000, `${first.durationMs} ms`);
		// 1500 two-byte characters are 3000 bytes: the first 2048 bytes are 1024 of them.
		assert.equal(Buffer.byteLength(first.responseBody ?? ''), RESPONSE_BODY_PREFIX_BYTES);
		assert.equal(first.responseBody, 'é'.repeat(1024));
		const nextDue = first.nextAttemptAt!.getTime();
		assert.ok(Math.abs(nextDue - (first.startedAt.getTime() + first.durationMs + 150)) < 60, 'due one retry delay after the attempt');
		assert.ok(secondRequest.receivedAt >= nextDue - 5, 'the second attempt came when the first said');

		assert.equal(second.number, 2);
		assert.equal(second.status, 200);
		assert.equal(second.reason, null);
		assert.equal(second.responseBody, 'thanks');
		assert.equal(second.nextAttemptAt, null);

		assert.equal(row.attempts, 2);
		assert.equal(row.lastStatus, 200);
		assert.equal(row.lastAttemptAt?.getTime(), second.startedAt.getTime());
		assert.equal(row.nextAttemptAt, null);
	});

	it('no response: no status, the error class, no body; a refused connection fails every attempt and ends the delivery failed', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [10, 10] });
		const hook = await fixture.createWebhook(await closedPortUrl());
		await delivery.enqueue([hook], 'note', sampleBody);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'failed');
		const attempts = await attemptRowsOf(fixture.dataSource, row.id);
		assert.deepEqual(attempts.map((a) => [a.number, a.status, a.errorClass, a.reason, a.responseBody]), [
			[1, null, 'ECONNREFUSED', 'ECONNREFUSED', null],
			[2, null, 'ECONNREFUSED', 'ECONNREFUSED', null],
			[3, null, 'ECONNREFUSED', 'ECONNREFUSED', null],
		]);
		assert.deepEqual(attempts.map((a) => a.nextAttemptAt === null), [false, false, true]);
		assert.equal(row.attempts, 3);
		assert.equal(row.lastStatus, 1, "Misskey's status for no response");
		assert.equal(row.nextAttemptAt, null);
		assert.ok(row.finishedAt);
	});

	it('a timeout is recorded as `timeout`, a final 4xx ends the delivery after one attempt', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [], requestTimeoutMs: 150 });
		const slow = await fixture.createWebhook(receiver.url('/slow'));
		const gone = await fixture.createWebhook(receiver.url('/missing'));
		receiver.replyAlways((req) => (req.path === '/slow' ? { hang: true } : { status: 404, body: 'no such hook' }));
		await delivery.enqueue([slow, gone], 'note', sampleBody);
		const slowRow = await deliveryRowOnce(fixture.dataSource, slow.id, 'failed');
		const goneRow = await deliveryRowOnce(fixture.dataSource, gone.id, 'failed');
		const [timedOut] = await attemptRowsOf(fixture.dataSource, slowRow.id);
		assert.deepEqual([timedOut.status, timedOut.errorClass], [null, 'timeout']);
		assert.ok(timedOut.durationMs >= 140 && timedOut.durationMs < 1500, `${timedOut.durationMs} ms`);
		const [notFound] = await attemptRowsOf(fixture.dataSource, goneRow.id);
		assert.deepEqual([notFound.status, notFound.reason, notFound.responseBody, notFound.nextAttemptAt], [404, '404 Not Found', 'no such hook', null]);
	});

	it("a blocked address is recorded as `blocked-address` with the guard's reason, once", async () => {
		const delivery = await fixture.delivery({ allowedPrivateNetworks: [], retryDelaysMs: [10] });
		const hook = await fixture.createWebhook('http://127.0.0.1:9/hook');
		await delivery.enqueue([hook], 'note', sampleBody);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'failed');
		const attempts = await attemptRowsOf(fixture.dataSource, row.id);
		assert.equal(attempts.length, 1);
		assert.equal(attempts[0].errorClass, 'blocked-address');
		assert.match(attempts[0].reason ?? '', /^blocked-address: Blocked address: 127\.0\.0\.1 \(loopback\)/);
	});

	it('a body with NUL bytes is stored, the NULs replaced', async () => {
		const delivery = await fixture.delivery({ retryDelaysMs: [] });
		const hook = await fixture.createWebhook(receiver.url('/binary'));
		receiver.replyAlways({ status: 200, body: 'a\u0000b' });
		await delivery.enqueue([hook], 'note', sampleBody);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		const [attempt] = await attemptRowsOf(fixture.dataSource, row.id);
		assert.equal(attempt.responseBody, 'a\uFFFDb');
	});

	it('200 deliveries are logged in a handful of statements, not one per attempt', async () => {
		const delivery = await fixture.delivery({ workerConcurrency: 64, concurrencyPerTargetHost: 64, retryDelaysMs: [] });
		const hooks = await Promise.all(Array.from({ length: 200 }, (_, i) => fixture.createWebhook(receiver.url(`/many${i}`))));
		receiver.replyAlways({ status: 204 });
		const statements = await countStatements(fixture.dataSource, /INSERT INTO "webhook_delivery_attempt"/, async () => {
			await delivery.enqueue(hooks, 'note', sampleBody);
			await receiver.waitForRequests(200);
			await waitUntilIdle(delivery.queue);
			await delivery.flushRecords();
		});
		assert.ok(statements >= 1 && statements <= 20, `${statements} statements`);
		// A write the database could not take at once (a busy machine) is kept and retried, not lost: wait for it.
		const deadline = Date.now() + 15_000;
		let count = 0;
		do {
			[{ count }] = await fixture.dataSource.query(`SELECT count(*)::int AS count FROM "webhook_delivery" WHERE "url" LIKE '%/many%' AND "status" = 'delivered' AND "attempts" = 1`);
			if (count === 200) break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		} while (Date.now() < deadline);
		assert.equal(count, 200);
	});

	describe('the writer', () => {
		const store = () => new DeliveryStore(fixture.dataSource);

		async function pendingDelivery(id = generateId(), transaction?: Pick<EntityManager, 'query'>): Promise<string> {
			await store().insertEvents([{ event: { kind: 'user', queuePrefix: 'unit', type: 'note', bodyText: '{}', createdAt: new Date() }, rows: [{
				id, webhookId: `hook${randomUUID().slice(0, 8)}`, userId: 'owner', eventId: randomUUID(), url: 'http://writer.example/', secret: 's',
				retryPolicy: 'standard', sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'misskey' as const, deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
			}] }], transaction);
			return id;
		}

		function attempt(deliveryId: string, number: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
			return {
				kind: 'user', webhookId: 'hook', eventType: 'note', format: 'misskey', targetHost: 'receiver.example', deliveryId, eventId: randomUUID(), attemptNumber: number, attemptsAllowed: 3,
				startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, number)), durationMs: 12,
				outcome: { kind: 'retry', status: 500, reason: '500 Internal Server Error', throttle: false },
				responseBodyPrefix: 'oops', nextAttemptAt: new Date(Date.UTC(2025, 0, 1, 0, 1, number)), finished: false, trigger: 'scheduled',
				...overrides,
			};
		}

		/** Starts a flush while `runner`'s transaction is open, commits it 100 ms later, and waits for the flush. */
		async function flushAcrossCommit(log: AttemptLog, runner: QueryRunner): Promise<void> {
			try {
				const flushed = log.flush();
				await new Promise((resolve) => setTimeout(resolve, 100));
				await runner.commitTransaction();
				await flushed;
			} finally {
				await runner.release();
			}
		}

		it('stores every text exactly as given: quotes, backslashes, escapes, line separators and characters outside the BMP', async () => {
			const tricky = 'say "hi" \\ back\\slash \\u0041 \n\ttab 🎉 ünï \u2028 end';
			const bodyText = JSON.stringify({ note: { text: tricky } });
			const id = generateId();
			await store().insertEvent({ kind: 'user', queuePrefix: 'unit', type: 'note', bodyText, createdAt: new Date() }, [{
				id, webhookId: `hook${randomUUID().slice(0, 8)}`, userId: null, eventId: randomUUID(), url: 'http://writer.example/"q"', secret: tricky,
				retryPolicy: 'standard', sendSecretHeader: true, previousSecret: tricky, previousSecretExpiresAt: new Date(Date.UTC(2030, 0, 1)), maxAttempts: 3, format: 'misskey' as const, deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
			}]);
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 1, { responseBodyPrefix: tricky }));
			await log.flush();
			await log.close();
			const [row] = await store().findByIds([id]);
			assert.deepEqual([row.body, row.secret, row.previousSecret, row.url, row.userId, row.format], [bodyText, tricky, tricky, 'http://writer.example/"q"', null, 'misskey']);
			assert.equal(row.previousSecretExpiresAt?.toISOString(), '2030-01-01T00:00:00.000Z');
			assert.deepEqual((await attemptRowsOf(fixture.dataSource, id)).map((a) => a.responseBody), [tricky]);
		});

		it('several attempts of one delivery in one batch: every attempt row, and the row moved to the latest', async () => {
			const id = await pendingDelivery();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			const statements = await countStatements(fixture.dataSource, /webhook_delivery_attempt/, async () => {
				log.record(attempt(id, 1));
				log.record(attempt(id, 2));
				log.record(attempt(id, 3, { outcome: { kind: 'delivered', status: 202 }, nextAttemptAt: null, finished: true }));
				await log.flush();
			});
			assert.equal(statements, 1);
			assert.deepEqual((await attemptRowsOf(fixture.dataSource, id)).map((a) => [a.number, a.status]), [[1, 500], [2, 500], [3, 202]]);
			const [row] = await store().findByIds([id]);
			assert.deepEqual([row.status, row.attempts, row.lastStatus, row.nextAttemptAt], ['delivered', 3, 202, null]);
			assert.equal(row.finishedAt?.toISOString(), '2025-01-01T00:00:03.012Z');
			await log.close();

		});

		it('an older batch landing after a newer one does not turn the row back', async () => {
			const id = await pendingDelivery();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 2, { outcome: { kind: 'final', status: 404, reason: '404 Not Found' }, nextAttemptAt: null, finished: true }));
			await log.flush();
			log.record(attempt(id, 1));
			await log.flush();
			const [row] = await store().findByIds([id]);
			assert.deepEqual([row.status, row.attempts, row.lastStatus, row.nextAttemptAt], ['failed', 2, 404, null]);
			await log.close();

		});

		it('a failed manual attempt leaves a failed delivery failed; a delivered one marks it delivered', async () => {
			const id = await pendingDelivery();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 1, { nextAttemptAt: null, finished: true }));
			await log.flush();
			log.record(attempt(id, 2, { trigger: 'manual', nextAttemptAt: null, finished: true }));
			await log.flush();
			let [row] = await store().findByIds([id]);
			assert.deepEqual([row.status, row.attempts, row.lastStatus], ['failed', 2, 500]);
			log.record(attempt(id, 3, { trigger: 'manual', outcome: { kind: 'delivered', status: 200 }, nextAttemptAt: null, finished: true }));
			await log.flush();
			[row] = await store().findByIds([id]);
			assert.deepEqual([row.status, row.attempts, row.lastStatus], ['delivered', 3, 200]);
			await log.close();

		});

		it('an attempt of a delivery that no longer exists is skipped, the rest of the batch written', async () => {
			const id = await pendingDelivery();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt('nosuchdelivery', 1));
			log.record(attempt(id, 1));
			await log.flush();
			assert.equal((await attemptRowsOf(fixture.dataSource, id)).length, 1);
			assert.equal((await attemptRowsOf(fixture.dataSource, 'nosuchdelivery')).length, 0);
			await log.close();

		});

		it('an attempt recorded before its delivery row commits is written once the row is there, with its progress', async () => {
			const id = generateId();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 1, { outcome: { kind: 'delivered', status: 200 }, nextAttemptAt: null, finished: true }));
			await log.flush();
			assert.equal((await attemptRowsOf(fixture.dataSource, id)).length, 0, 'no row yet, nothing written');
			assert.equal(log.pending, 1, 'kept for later');
			await new Promise((resolve) => setTimeout(resolve, 150));
			await pendingDelivery(id);
			const [logged] = await until(() => attemptRowsOf(fixture.dataSource, id), (rows) => rows.length === 1, 3000);
			assert.equal(logged.status, 200);
			const [row] = await store().findByIds([id]);
			assert.deepEqual([row.status, row.attempts, row.lastStatus], ['delivered', 1, 200]);
			assert.equal(log.pending, 0);
			await log.close();
		});

		it('an attempt written while its row is being committed is logged with its progress, never without it', async () => {
			const runner = fixture.dataSource.createQueryRunner();
			await runner.connect();
			await runner.startTransaction();
			const id = await pendingDelivery(generateId(), runner.manager);
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 1, { outcome: { kind: 'delivered', status: 200 }, nextAttemptAt: null, finished: true }));
			// The write starts while the row is not committed: its statement cannot see the row, whatever the key check sees.
			await flushAcrossCommit(log, runner);
			const [row] = await until(() => store().findByIds([id]), (rows) => rows[0]?.status !== 'pending', 3000);
			assert.deepEqual([row.status, row.attempts, row.lastStatus], ['delivered', 1, 200]);
			assert.deepEqual((await attemptRowsOf(fixture.dataSource, id)).map((a) => [a.number, a.status]), [[1, 200]]);
			await log.close();
		});

		it('a row deleted (pruned) while its attempt is being written: the write waits for it, then writes the rest of its batch and fails nothing', async () => {
			const [pruned, kept] = [await pendingDelivery(), await pendingDelivery()];
			const runner = fixture.dataSource.createQueryRunner();
			await runner.connect();
			await runner.startTransaction();
			await runner.query('DELETE FROM "webhook_delivery" WHERE "id" = $1', [pruned]);
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger, lateMaxAgeMs: 200 });
			log.record(attempt(pruned, 1));
			log.record(attempt(kept, 1));
			// The write starts while the delete holds the row: it sees the row, and must not log an attempt for it once it is gone.
			await flushAcrossCommit(log, runner);
			assert.deepEqual((await attemptRowsOf(fixture.dataSource, kept)).map((a) => [a.number, a.status]), [[1, 500]]);
			assert.equal((await attemptRowsOf(fixture.dataSource, pruned)).length, 0);
			assert.deepEqual((await store().findByIds([kept, pruned])).map((row) => [row.id, row.attempts]), [[kept, 1]]);
			await until(async () => log.pending, (pending) => pending === 0, 3000);
			await log.close();
		});

		it('a flush writes what a write already running found missing, once its row is there', async () => {
			const id = generateId();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			// The first attempt write runs at once, but its answer is held back until `answer` is called.
			let answer = (): void => undefined;
			let held = false;
			const undo = aroundStatements(fixture.dataSource, async (text, send) => {
				const result = await send();
				if (held || !/webhook_delivery_attempt/.test(text)) return result;
				held = true;
				await new Promise<void>((resolve) => {
					answer = resolve;
				});
				return result;
			});
			try {
				log.record(attempt(id, 1, { outcome: { kind: 'delivered', status: 200 }, nextAttemptAt: null, finished: true }));
				const first = log.flush();
				await until(async () => held, (seen) => seen, 2000);
				await pendingDelivery(id);
				const second = log.flush();
				answer();
				await first;
				await second;
			} finally {
				undo();
			}
			assert.equal((await attemptRowsOf(fixture.dataSource, id)).length, 1, 'written by the second flush, not left for later');
			await log.close();
		});

		it('an attempt whose delivery row never comes is given up after its time, with a line; the batch around it is written', async () => {
			const id = await pendingDelivery();
			const logger = new CapturingLogger();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger, lateMaxAgeMs: 300 });
			log.record(attempt('nevercomes', 1));
			log.record(attempt(id, 1));
			await log.flush();
			assert.equal((await attemptRowsOf(fixture.dataSource, id)).length, 1);
			await until(async () => logger.lines.join('\n'), (lines) => /outbox row never appeared were not logged \{.*"dropped":1/.test(lines), 3000);
			assert.equal(log.pending, 0, 'nothing kept once given up');
			assert.equal((await attemptRowsOf(fixture.dataSource, 'nevercomes')).length, 0);
			await log.close();
		});

		it('writes by itself within a short interval', async () => {
			const id = await pendingDelivery();
			const log = new AttemptLog({ dataSource: fixture.dataSource, logger: fixture.logger });
			log.record(attempt(id, 1));
			await until(() => attemptRowsOf(fixture.dataSource, id), (rows) => rows.length === 1, 1000);
			await log.close();

		});

		it('folds each delivery of a batch into one change', () => {
			const changes = progressOf([attempt('a', 1), attempt('b', 1), attempt('a', 2, { finished: true, nextAttemptAt: null })]);
			assert.deepEqual(changes.map((c) => [c.id, c.added, c.status, c.scheduled, c.nextAttemptAt]), [['a', 2, 'failed', true, null], ['b', 1, 'pending', true, new Date(Date.UTC(2025, 0, 1, 0, 1, 1))]]);
		});
	});
});
