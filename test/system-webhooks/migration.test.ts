import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createMigratedDataSource } from '../support/database.js';

/** The `system_webhook` table as Misskey 2025.9 has it, one row per column as information_schema and pg_attribute describe it. */
const expectedColumns = [
	{ column: 'id', sqlType: 'character varying(32)', nullable: 'NO', default: null },
	{ column: 'isActive', sqlType: 'boolean', nullable: 'NO', default: 'true' },
	{ column: 'updatedAt', sqlType: 'timestamp with time zone', nullable: 'NO', default: 'now()' },
	{ column: 'latestSentAt', sqlType: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'latestStatus', sqlType: 'integer', nullable: 'YES', default: null },
	{ column: 'name', sqlType: 'character varying(255)', nullable: 'NO', default: null },
	{ column: 'on', sqlType: 'character varying(128)[]', nullable: 'NO', default: "'{}'::character varying[]" },
	{ column: 'url', sqlType: 'character varying(1024)', nullable: 'NO', default: null },
	{ column: 'secret', sqlType: 'character varying(1024)', nullable: 'NO', default: null },
];

/** Our columns after Misskey's (DeliveryOptions1700000400000): delivery options, then the module's pause record. */
const expectedAddedColumns = [
	{ column: 'retryPolicy', sqlType: 'character varying(16)', nullable: 'NO', default: "'standard'::character varying" },
	{ column: 'sendSecretHeader', sqlType: 'boolean', nullable: 'NO', default: 'true' },
	{ column: 'previousSecret', sqlType: 'character varying(1024)', nullable: 'YES', default: null },
	{ column: 'previousSecretExpiresAt', sqlType: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'failingSince', sqlType: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'pausedBy', sqlType: 'character varying(16)', nullable: 'YES', default: null },
	{ column: 'pausedReason', sqlType: 'character varying(512)', nullable: 'YES', default: null },
	{ column: 'pausedAt', sqlType: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'format', sqlType: 'character varying(16)', nullable: 'NO', default: "'misskey'::character varying" },
	{ column: 'template', sqlType: 'text', nullable: 'YES', default: null },
	{ column: 'templateContentType', sqlType: 'character varying(32)', nullable: 'NO', default: "'application/json'::character varying" },
	{ column: 'filter', sqlType: 'jsonb', nullable: 'YES', default: null },
	{ column: 'deliveryRate', sqlType: 'double precision', nullable: 'YES', default: null },
	{ column: 'deliveryBurst', sqlType: 'integer', nullable: 'YES', default: null },
];

/** Misskey's names: a btree on `isActive`, a GIN on `on` (for `:on <@ "on"`), and the primary key. */
const expectedIndexes = [
	{ name: 'IDX_system_webhook_isActive', definition: 'CREATE INDEX "IDX_system_webhook_isActive" ON public.system_webhook USING btree ("isActive")' },
	{ name: 'IDX_system_webhook_on', definition: 'CREATE INDEX "IDX_system_webhook_on" ON public.system_webhook USING gin ("on")' },
	{ name: 'PK_system_webhook_id', definition: 'CREATE UNIQUE INDEX "PK_system_webhook_id" ON public.system_webhook USING btree (id)' },
];

describe('system_webhook migration', () => {
	let dataSource: DataSource;

	before(async () => {
		dataSource = await createMigratedDataSource();
	});
	after(async () => {
		await dataSource.destroy();
	});

	const systemWebhookColumns = () => dataSource.query(`
		SELECT c.column_name AS "column", format_type(a.atttypid, a.atttypmod) AS "sqlType", c.is_nullable AS "nullable", c.column_default AS "default"
		FROM information_schema.columns c
		JOIN pg_attribute a ON a.attrelid = 'public.system_webhook'::regclass AND a.attname = c.column_name
		WHERE c.table_schema = 'public' AND c.table_name = 'system_webhook'
		ORDER BY c.ordinal_position`);

	it("creates system_webhook with Misskey's columns, types, nullability and defaults, in Misskey's order", async () => {
		const columns = await systemWebhookColumns();
		assert.deepEqual(columns.slice(0, expectedColumns.length), expectedColumns);
	});

	it("adds our delivery option and pause columns after Misskey's, and nothing else", async () => {
		const columns = await systemWebhookColumns();
		assert.deepEqual(columns.slice(expectedColumns.length), expectedAddedColumns);
	});

	it("creates Misskey's primary key, the btree on isActive and the GIN index on on, under their names", async () => {
		const indexes = await dataSource.query(`SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'system_webhook' ORDER BY indexname`);
		assert.deepEqual(indexes, expectedIndexes);
		const [primaryKey] = await dataSource.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.system_webhook'::regclass AND contype = 'p'`);
		assert.equal(primaryKey.conname, 'PK_system_webhook_id');
	});

	it('a row inserted with only the required columns gets isActive true, updatedAt now and on {}', async () => {
		const before = Date.now();
		await dataSource.query(`INSERT INTO "system_webhook" ("id", "name", "url", "secret") VALUES ('defaults1', 'n', 'https://r.example/', '')`);
		const [row] = await dataSource.query(`SELECT "isActive", "updatedAt", "on", "latestSentAt", "latestStatus" FROM "system_webhook" WHERE "id" = 'defaults1'`);
		assert.equal(row.isActive, true);
		assert.deepEqual(row.on, []);
		assert.equal(row.latestSentAt, null);
		assert.equal(row.latestStatus, null);
		assert.ok(Math.abs(row.updatedAt.getTime() - before) < 60_000, `updatedAt ${row.updatedAt.toISOString()}`);
	});

	it('does not create abuse_report_notification_recipient (the module has no abuse-report recipients)', async () => {
		const [{ exists }] = await dataSource.query(`SELECT to_regclass('public.abuse_report_notification_recipient') IS NOT NULL AS "exists"`);
		assert.equal(exists, false);
	});

	it('reverting the migration drops the table', async () => {
		const migration = dataSource.migrations.find((m) => m.name === 'SystemWebhook1700000200000');
		assert.ok(migration, 'the system webhook migration is registered');
		const runner = dataSource.createQueryRunner();
		try {
			await migration.down(runner);
			const [{ exists }] = await runner.query(`SELECT to_regclass('public.system_webhook') IS NOT NULL AS "exists"`);
			assert.equal(exists, false);
			await migration.up(runner);
		} finally {
			await runner.release();
		}
	});
});
