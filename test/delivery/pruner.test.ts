import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../../src/config/options.js';
import { DEFAULT_DELIVERY_RETENTION_MS } from '../../src/config/outbox-options.js';
import { PRUNE_BATCH_SIZE, Pruner } from '../../src/delivery/outbox/pruner.js';
import { DeliveryStore } from '../../src/store/delivery-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { CapturingLogger } from './fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 5, 30);

/** Inserts `count` deliveries of one kind and status, created `ageMs` before NOW, each with one attempt row; returns their ids. */
async function seed(dataSource: DataSource, input: { kind: 'user' | 'system'; status: 'pending' | 'delivered' | 'failed'; ageMs: number; count?: number }): Promise<string[]> {
	const rows: Array<{ id: string }> = await dataSource.query(
		`INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "webhookId", "userId", "eventId", "type", "body", "url", "secret", "retryPolicy", "status", "attempts", "maxAttempts", "createdAt")
		SELECT $1 || lpad(n::text, 8, '0'), $2, 'bull', 'hook', NULL, gen_random_uuid(), 'note', '{}', 'http://x.example/', 's', 'standard', $3, 1, 10, $4
		FROM generate_series(1, $5) AS n RETURNING "id"`,
		[`${input.kind}${input.status}${input.ageMs}`.replace(/[^a-z0-9]/g, '').slice(0, 20), input.kind, input.status, new Date(NOW - input.ageMs).toISOString(), input.count ?? 1],
	);
	await dataSource.query(
		`INSERT INTO "webhook_delivery_attempt" ("id", "deliveryId", "number", "startedAt", "durationMs", "status", "trigger") SELECT "id" || 'a', "id", 1, now(), 5, 500, 'scheduled' FROM unnest($1::varchar[]) AS "id"`,
		[rows.map((row) => row.id)],
	);
	return rows.map((row) => row.id);
}

async function remaining(dataSource: DataSource, ids: readonly string[]): Promise<{ deliveries: number; attempts: number }> {
	const [{ deliveries }] = await dataSource.query(`SELECT count(*)::int AS deliveries FROM "webhook_delivery" WHERE "id" = ANY($1)`, [ids]);
	const [{ attempts }] = await dataSource.query(`SELECT count(*)::int AS attempts FROM "webhook_delivery_attempt" WHERE "deliveryId" = ANY($1)`, [ids]);
	return { deliveries, attempts };
}

describe('delivery: pruning old deliveries', () => {
	let dataSource: DataSource;
	const logger = new CapturingLogger();
	const pruner = (kind: 'user' | 'system', retentionMs = DEFAULT_DELIVERY_RETENTION_MS) =>
		new Pruner({ kind, store: new DeliveryStore(dataSource), retentionMs, intervalMs: 60_000, logger, label: kind, now: () => NOW });

	beforeEach(async () => {
		dataSource = await createMigratedDataSource();
	});
	afterEach(async () => {
		await dataSource.destroy();
	});

	it('the retention defaults to 14 days', () => {
		assert.equal(normalizeOptions({ serverUrl: 'https://a.example', redisUrl: 'redis://127.0.0.1' }).deliveryRetentionMs, 14 * DAY_MS);
		assert.throws(() => normalizeOptions({ serverUrl: 'https://a.example', redisUrl: 'redis://127.0.0.1', deliveryRetentionMs: 0 }), /deliveryRetentionMs must be a number of ms ≥ 1, got 0/);
	});

	it('deletes finished deliveries older than the retention, with their attempts', async () => {
		const oldDelivered = await seed(dataSource, { kind: 'user', status: 'delivered', ageMs: 15 * DAY_MS });
		const oldFailed = await seed(dataSource, { kind: 'user', status: 'failed', ageMs: 20 * DAY_MS });
		assert.equal(await pruner('user').run(), 2);
		assert.deepEqual(await remaining(dataSource, [...oldDelivered, ...oldFailed]), { deliveries: 0, attempts: 0 });
	});

	it('keeps recent finished deliveries, pending ones of any age, and the other kind', async () => {
		const recent = await seed(dataSource, { kind: 'user', status: 'failed', ageMs: 13 * DAY_MS });
		const oldPending = await seed(dataSource, { kind: 'user', status: 'pending', ageMs: 30 * DAY_MS });
		const otherKind = await seed(dataSource, { kind: 'system', status: 'delivered', ageMs: 30 * DAY_MS });
		assert.equal(await pruner('user').run(), 0);
		assert.deepEqual(await remaining(dataSource, [...recent, ...oldPending, ...otherKind]), { deliveries: 3, attempts: 3 });
		assert.equal(await pruner('system').run(), 1);
		assert.deepEqual(await remaining(dataSource, otherKind), { deliveries: 0, attempts: 0 });
	});

	it('honours a shorter retention', async () => {
		const dayOld = await seed(dataSource, { kind: 'user', status: 'delivered', ageMs: DAY_MS + 1000 });
		assert.equal(await pruner('user', DAY_MS).run(), 1);
		assert.deepEqual(await remaining(dataSource, dayOld), { deliveries: 0, attempts: 0 });
	});

	it(`deletes a backlog in batches of ${PRUNE_BATCH_SIZE}`, async () => {
		const backlog = await seed(dataSource, { kind: 'user', status: 'delivered', ageMs: 15 * DAY_MS, count: 2 * PRUNE_BATCH_SIZE + 500 });
		const store = new DeliveryStore(dataSource);
		const deletedPerBatch: number[] = [];
		const pruneFinished = store.pruneFinished.bind(store);
		store.pruneFinished = async (...args) => {
			const deleted = await pruneFinished(...args);
			deletedPerBatch.push(deleted);
			return deleted;
		};
		const counting = new Pruner({ kind: 'user', store, retentionMs: DEFAULT_DELIVERY_RETENTION_MS, intervalMs: 60_000, logger, label: 'user', now: () => NOW });
		assert.equal(await counting.run(), backlog.length);
		assert.deepEqual(deletedPerBatch, [PRUNE_BATCH_SIZE, PRUNE_BATCH_SIZE, 500]);
	});

	it('runs when started and then on its interval', async () => {
		const old = await seed(dataSource, { kind: 'user', status: 'delivered', ageMs: 15 * DAY_MS });
		const scheduled = new Pruner({ kind: 'user', store: new DeliveryStore(dataSource), retentionMs: DEFAULT_DELIVERY_RETENTION_MS, intervalMs: 100, logger, label: 'user', now: () => NOW });
		scheduled.start();
		try {
			for (let i = 0; i < 50 && (await remaining(dataSource, old)).deliveries > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
			assert.equal((await remaining(dataSource, old)).deliveries, 0, 'pruned at start');
			const later = await seed(dataSource, { kind: 'user', status: 'failed', ageMs: 16 * DAY_MS });
			for (let i = 0; i < 50 && (await remaining(dataSource, later)).deliveries > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
			assert.equal((await remaining(dataSource, later)).deliveries, 0, 'pruned on the interval');
		} finally {
			await scheduled.stop();
		}
	});
});
