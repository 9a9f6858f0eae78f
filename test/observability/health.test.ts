import assert from 'node:assert/strict';
import net from 'node:net';
import Bull from 'bull';
import type { DataSource } from 'typeorm';
import { checkHealth } from '../../src/observability/health.js';
import { createMigratedDataSource } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { randomUUID } from 'node:crypto';

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
			const report = await checkHealth({ dataSource, queues: [queue], queuePrefix: 'unused' }, { timeoutMs: 300 });
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
			const relaxed = await checkHealth({ dataSource, queues: [queue], queuePrefix }, { maxLagMs: 10 * 60_000 });
			assert.equal(relaxed.queue.ok, true, JSON.stringify(relaxed.queue));
			const [lag] = relaxed.queue.queues;
			assert.equal(lag?.waiting, 1);
			assert.equal(lag?.overdueDelayed, 1, 'the delayed job is due and no worker moved it');
			assert.ok((lag?.oldestWaitingMs ?? 0) >= 60_000, `oldest waiting ${lag?.oldestWaitingMs} ms`);
			const strict = await checkHealth({ dataSource, queues: [queue], queuePrefix }, { maxLagMs: 30_000 });
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
			const stale = await checkHealth({ dataSource, queues: [queue], queuePrefix }, { maxLagMs: 10 * 60_000 });
			assert.equal(stale.queue.stalePendingDeliveries, 1);
			assert.equal(stale.queue.ok, false);
			const elsewhere = await checkHealth({ dataSource, queues: [queue], queuePrefix: `${queuePrefix}-other` }, { maxLagMs: 10 * 60_000 });
			assert.equal(elsewhere.queue.stalePendingDeliveries, 0, 'another module instance\'s queue prefix is not counted');
		} finally {
			await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "queuePrefix" = $1`, [queuePrefix]);
			await queue.obliterate({ force: true });
			await queue.close();
		}
	});
});
