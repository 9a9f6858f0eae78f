import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createSchemaValidator } from '../../src/schemas.js';
import { createMigratedDataSource } from '../support/database.js';

const schemas = createSchemaValidator();

/** The outbox's columns (migration WebhookDeliveryLog1700000510000, then PayloadFormat1700000610000's), in table order. */
const deliveryColumns = [
	['id', 'character varying(32)', 'NO', null],
	['webhookKind', 'character varying(8)', 'NO', null],
	['queuePrefix', 'character varying(255)', 'NO', null],
	['webhookId', 'character varying(32)', 'NO', null],
	['userId', 'character varying(32)', 'YES', null],
	['eventId', 'uuid', 'NO', null],
	['type', 'character varying(64)', 'NO', null],
	['body', 'text', 'NO', null],
	['url', 'character varying(1024)', 'NO', null],
	['secret', 'character varying(1024)', 'NO', null],
	['retryPolicy', 'character varying(16)', 'NO', null],
	['sendSecretHeader', 'boolean', 'NO', 'true'],
	['previousSecret', 'character varying(1024)', 'YES', null],
	['previousSecretExpiresAt', 'timestamp with time zone', 'YES', null],
	['status', 'character varying(16)', 'NO', "'pending'::character varying"],
	['attempts', 'integer', 'NO', '0'],
	['maxAttempts', 'integer', 'NO', null],
	['createdAt', 'timestamp with time zone', 'NO', null],
	['nextAttemptAt', 'timestamp with time zone', 'YES', null],
	['lastAttemptAt', 'timestamp with time zone', 'YES', null],
	['lastStatus', 'integer', 'YES', null],
	['finishedAt', 'timestamp with time zone', 'YES', null],
	['format', 'character varying(16)', 'NO', "'misskey'::character varying"],
	['template', 'text', 'YES', null],
	['templateContentType', 'character varying(32)', 'NO', "'application/json'::character varying"],
	['deliveryRate', 'double precision', 'YES', null],
	['deliveryBurst', 'integer', 'YES', null],
];

/** The attempt log's columns, in table order. */
const attemptColumns = [
	['id', 'character varying(32)', 'NO', null],
	['deliveryId', 'character varying(32)', 'NO', null],
	['number', 'integer', 'NO', null],
	['startedAt', 'timestamp with time zone', 'NO', null],
	['durationMs', 'integer', 'NO', null],
	['status', 'integer', 'YES', null],
	['errorClass', 'character varying(64)', 'YES', null],
	['reason', 'character varying(512)', 'YES', null],
	['responseBody', 'text', 'YES', null],
	['nextAttemptAt', 'timestamp with time zone', 'YES', null],
	['trigger', 'character varying(16)', 'NO', null],
];

async function columnsOf(dataSource: DataSource, table: string): Promise<unknown[][]> {
	const rows: Array<{ column: string; sqlType: string; nullable: string; default: string | null }> = await dataSource.query(`
		SELECT c.column_name AS "column", format_type(a.atttypid, a.atttypmod) AS "sqlType", c.is_nullable AS "nullable", c.column_default AS "default"
		FROM information_schema.columns c
		JOIN pg_attribute a ON a.attrelid = ('public.' || $1)::regclass AND a.attname = c.column_name
		WHERE c.table_schema = 'public' AND c.table_name = $1
		ORDER BY c.ordinal_position`, [table]);
	return rows.map((row) => [row.column, row.sqlType, row.nullable, row.default]);
}

describe('the outbox and attempt log tables', () => {
	let dataSource: DataSource;

	before(async () => {
		dataSource = await createMigratedDataSource();
	});
	after(async () => {
		await dataSource.destroy();
	});

	it('webhook_delivery has the outbox columns', async () => {
		assert.deepEqual(await columnsOf(dataSource, 'webhook_delivery'), deliveryColumns);
	});

	it('webhook_delivery_attempt has the attempt columns', async () => {
		assert.deepEqual(await columnsOf(dataSource, 'webhook_delivery_attempt'), attemptColumns);
	});

	it('indexes serve the API (by webhook), the reconciler (unfinished by due time), the pruner (by age) and the attempt log (by delivery)', async () => {
		const indexes: Array<{ name: string; definition: string }> = await dataSource.query(`SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('webhook_delivery', 'webhook_delivery_attempt') ORDER BY indexname`);
		assert.deepEqual(indexes.map((index) => index.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON public\./, '')), [
			'webhook_delivery USING btree ("createdAt")',
			"webhook_delivery USING btree (\"queuePrefix\", \"webhookKind\", \"nextAttemptAt\", id) WHERE ((status)::text = 'pending'::text)",
			'webhook_delivery USING btree ("webhookKind", "webhookId", id)',
			'webhook_delivery_attempt USING btree ("deliveryId", id)',
			'webhook_delivery USING btree (id)',
		]);
	});

	it('deleting a delivery deletes its attempts', async () => {
		await dataSource.query(`INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "webhookId", "eventId", "type", "body", "url", "secret", "retryPolicy", "maxAttempts", "createdAt")
			VALUES ('cascade1', 'user', 'bull', 'hook', gen_random_uuid(), 'note', '{}', 'http://x.example/', '', 'standard', 1, now())`);
		await dataSource.query(`INSERT INTO "webhook_delivery_attempt" ("id", "deliveryId", "number", "startedAt", "durationMs", "trigger") VALUES ('cascade1a', 'cascade1', 1, now(), 1, 'scheduled')`);
		await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "id" = 'cascade1'`);
		assert.deepEqual(await dataSource.query(`SELECT "id" FROM "webhook_delivery_attempt" WHERE "deliveryId" = 'cascade1'`), []);
	});

	it('an attempt must belong to a delivery', async () => {
		await assert.rejects(
			dataSource.query(`INSERT INTO "webhook_delivery_attempt" ("id", "deliveryId", "number", "startedAt", "durationMs", "trigger") VALUES ('orphan1', 'nosuch', 1, now(), 1, 'scheduled')`),
			/FK_webhook_delivery_attempt_delivery/,
		);
	});

	describe('the API shapes', () => {
		const delivery = {
			id: 'a1b2c3d4e5f60001', webhookId: 'a1b2c3d4e5f6hook', eventId: '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c', type: 'note',
			url: 'https://receiver.example/hook', status: 'failed', attemptCount: 2, maxAttempts: 10, retryPolicy: 'standard',
			createdAt: '2025-06-01T00:00:00.000Z', nextAttemptAt: null, lastAttemptAt: '2025-06-01T00:00:05.000Z', lastStatus: 503, finishedAt: '2025-06-01T00:00:05.100Z',
		};
		const attempt = {
			id: 'a1b2c3d4e5f6att1', number: 1, trigger: 'scheduled', startedAt: '2025-06-01T00:00:00.010Z', durationMs: 42, status: null,
			errorClass: 'ECONNREFUSED', reason: 'ECONNREFUSED', responseBody: null, nextAttemptAt: '2025-06-01T00:00:05.000Z',
		};

		it('WebhookDelivery, WebhookDeliveryAttempt and WebhookDeliveryDetail accept realistic replies', () => {
			schemas.assert('WebhookDelivery', delivery);
			schemas.assert('WebhookDeliveryAttempt', attempt);
			schemas.assert('WebhookDeliveryDetail', { ...delivery, body: { note: {} }, attempts: [attempt] });
		});

		it('a delivery carrying its secret, or the replaced one, is refused', () => {
			assert.equal(schemas.validate('WebhookDelivery', { ...delivery, secret: 's' }).valid, false);
			assert.equal(schemas.validate('WebhookDelivery', { ...delivery, previousSecret: 's' }).valid, false);
			assert.equal(schemas.validate('WebhookDeliveryDetail', { ...delivery, secret: 's', body: {}, attempts: [] }).valid, false);
		});

		it('an unknown status or trigger, a bad event id or a missing attempt list is refused', () => {
			assert.match(schemas.validate('WebhookDelivery', { ...delivery, status: 'lost' }).errors, /\/status must be equal to one of/);
			assert.match(schemas.validate('WebhookDelivery', { ...delivery, eventId: 'x' }).errors, /\/eventId must match format "uuid"/);
			assert.match(schemas.validate('WebhookDeliveryAttempt', { ...attempt, trigger: 'cron' }).errors, /\/trigger must be equal to one of/);
			assert.match(schemas.validate('WebhookDeliveryDetail', { ...delivery, body: {} }).errors, /required property 'attempts'/);
		});
	});
});
