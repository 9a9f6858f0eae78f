import assert from 'node:assert/strict';
import net from 'node:net';
import Bull from 'bull';
import type { DataSource } from 'typeorm';
import { checkHealth } from '../../src/observability/health.js';
import { lastTakenKey } from '../../src/delivery/queue/last-taken.js';
import { createMigratedDataSource } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_UNATTENDED_QUEUE_AFTER_MS as unattendedQueueAfterMs } from '../../src/config/options.js';

/** A TCP server that takes connections and never answers: a Redis that hangs, not one that refuses. */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => {});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('health checks: never throw, never hang', function () {
	this.timeout(30_000);

	let dataSource: DataSource;
	before(async () => {
		dataSource = await createMigratedDataSource();
	});
	after(async () => {
		await dataSource.destroy();
	});

	it('a Redis that takes the connection and never answers is not ok after the timeout; PostgreSQL still is', async () => {
		const hole = await blackHole();
		const queue = new Bull('userWebhookDeliver', `redis://127.0.0.1:${hole.port}/0`, { prefix: `mw-test-health-${randomUUID()}` });
		queue.on('error', () => {});
		try {
			const started = Date.now();
			const report = await checkHealth({ dataSource, queues: [queue], queuePrefix: 'unused', unattendedQueueAfterMs }, { timeoutMs: 300 });
			assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
			assert.equal(report.ok, false);
			assert.equal(report.postgres.ok, true);
			assert.equal(report.redis.ok, false);
			assert.match(report.redis.error ?? '', /Redis took longer than 300 ms/);
			assert.equal(report.queue.ok, false);
			assert.match(report.queue.error ?? '', /queue counts took longer than 300 ms/);
		} finally {
			for (const client of queue.clients) client.disconnect();
			await hole.close();
		}
	});

	it('a waiting job due longer ago than maxLagMs, and a pending outbox row as overdue, make the queue not ok; its numbers say why', async () => {
		const queuePrefix = `mw-test-health-${randomUUID()}`;
		const queue = new Bull('userWebhookDeliver', testRedisUrl, { prefix: queuePrefix });
		try {
			// Bull takes an enqueue time (`timestamp`) that its types do not declare: a job queued a minute ago.
			await queue.add({ note: 'waits' }, { jobId: 'waiting-job', timestamp: Date.now() - 60_000 } as Bull.JobOptions);
			await queue.add({ note: 'retry due' }, { jobId: 'delayed-job', delay: 1 });
			await new Promise((resolve) => setTimeout(resolve, 20));
			const relaxed = await checkHealth({ dataSource, queues: [queue], queuePrefix, unattendedQueueAfterMs }, { maxLagMs: 10 * 60_000 });
			assert.equal(relaxed.queue.ok, true, JSON.stringify(relaxed.queue));
			const [lag] = relaxed.queue.queues;
			assert.equal(lag?.waiting, 1);
			assert.equal(lag?.overdueDelayed, 1, 'the delayed job is due and no worker moved it');
			assert.ok((lag?.oldestWaitingMs ?? 0) >= 60_000, `oldest waiting ${lag?.oldestWaitingMs} ms`);
			const strict = await checkHealth({ dataSource, queues: [queue], queuePrefix, unattendedQueueAfterMs }, { maxLagMs: 30_000 });
			assert.equal(strict.ok, false);
			assert.equal(strict.queue.ok, false);
			assert.equal(strict.postgres.ok && strict.redis.ok, true);
			assert.equal(strict.queue.stalePendingDeliveries, 0);
			// A pending delivery whose attempt was due an hour ago: its job is lost or nobody works the queue.
			await dataSource.query(
				`INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "webhookId", "userId", "eventId", "type", "body", "url", "secret", "retryPolicy", "status", "attempts", "maxAttempts", "createdAt", "nextAttemptAt")
				VALUES ($1, 'user', $2, 'hook', 'owner', $3, 'note', '{}', 'https://receiver.example/', 'secret', 'standard', 'pending', 0, 10, now() - interval '1 hour', now() - interval '1 hour')`,
				[randomUUID().replace(/-/g, '').slice(0, 16), queuePrefix, randomUUID()],
			);
			const stale = await checkHealth({ dataSource, queues: [queue], queuePrefix, unattendedQueueAfterMs }, { maxLagMs: 10 * 60_000 });
			assert.equal(stale.queue.stalePendingDeliveries, 1);
			assert.equal(stale.queue.ok, false);
			const elsewhere = await checkHealth({ dataSource, queues: [queue], queuePrefix: `${queuePrefix}-other`, unattendedQueueAfterMs }, { maxLagMs: 10 * 60_000 });
			assert.equal(elsewhere.queue.stalePendingDeliveries, 0, 'another module instance\'s queue prefix is not counted');
		} finally {
			await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "queuePrefix" = $1`, [queuePrefix]);
			await queue.obliterate({ force: true });
			await queue.close();
		}
	});

	describe('whether workers attend the queue', () => {
		let queuePrefix: string;
		let queue: Bull.Queue;
		beforeEach(() => {
			queuePrefix = `mw-test-attend-${randomUUID()}`;
			queue = new Bull('userWebhookDeliver', testRedisUrl, { prefix: queuePrefix });
		});
		afterEach(async () => {
			await queue.obliterate({ force: true });
			await queue.close();
		});
		// A look `aheadMs` from now: time passes in the check, not in the test.
		const lookAhead = (aheadMs: number) => checkHealth({ dataSource, queues: [queue], queuePrefix, unattendedQueueAfterMs: 60_000, now: () => Date.now() + aheadMs });
		const takenAt = (at: number) => queue.client.set(lastTakenKey(queue), String(at));

		it('a retry whose time has come waits too: with no worker to move it, the queue is unattended past the threshold', async () => {
			await queue.add({ note: 'retry due' }, { jobId: 'delayed-job', delay: 1000 });
			const before = await lookAhead(30_000);
			assert.equal(before.workers.ok, true, JSON.stringify(before.workers));
			assert.ok((before.workers.queues[0]?.unattendedMs ?? 0) >= 28_000, JSON.stringify(before.workers));
			const after = await lookAhead(90_000);
			assert.equal(after.ok, false);
			assert.equal(after.workers.ok, false);
			assert.equal(after.queue.queues[0]?.waiting, 0, 'nothing in the wait list: only the due retry waits');
			assert.deepEqual(after.workers.queues.map((attendance) => [attendance.name, attendance.lastTakenAt, attendance.unattended]), [['userWebhookDeliver', null, true]]);
			assert.equal(after.workers.unattendedQueueAfterMs, 60_000);
		});

		it('a worker that took a job recently attends the queue, however old the backlog behind it', async () => {
			await queue.add({ note: 'backlog' }, { jobId: 'old-job', timestamp: Date.now() - 3_600_000 } as Bull.JobOptions);
			await takenAt(Date.now() + 85_000);
			const report = await lookAhead(90_000);
			assert.equal(report.workers.ok, true, JSON.stringify(report.workers));
			const [attendance] = report.workers.queues;
			assert.ok(attendance && attendance.unattendedMs !== null && attendance.unattendedMs <= 6_000, JSON.stringify(attendance));
			assert.equal(attendance.lastTakenAt, new Date(Number(await queue.client.get(lastTakenKey(queue)))).toISOString());
		});

		it('a worker idle for long is not taken for absent when a job has only just arrived', async () => {
			await takenAt(Date.now() - 3_600_000);
			await queue.add({ note: 'fresh' }, { jobId: 'fresh-job' });
			const report = await lookAhead(0);
			assert.equal(report.workers.ok, true, JSON.stringify(report.workers));
			assert.ok((report.workers.queues[0]?.unattendedMs ?? Infinity) < 5_000, JSON.stringify(report.workers));
		});

		it('a queue where nothing waits is attended, whenever a worker last took a job', async () => {
			await takenAt(Date.now() - 3_600_000);
			await queue.add({ note: 'not due yet' }, { jobId: 'future-retry', delay: 3_600_000 });
			const report = await lookAhead(90_000);
			assert.equal(report.workers.ok, true);
			assert.equal(report.workers.queues[0]?.unattendedMs, null);
		});
	});
});
