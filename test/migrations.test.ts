import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { webhookEntities } from '../src/store/entities.js';
import { webhookMigrations } from '../migrations/index.js';
import { resetDatabase } from './support/database.js';
import { testDatabaseUrl } from './support/env.js';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The `webhook` table as Misskey 2025.9 has it, one row per column as information_schema and pg_attribute describe it. */
const expectedColumns = [
	{ column: 'id', dataType: 'character varying', sqlType: 'character varying(32)', maxLength: 32, nullable: 'NO', default: null },
	{ column: 'userId', dataType: 'character varying', sqlType: 'character varying(32)', maxLength: 32, nullable: 'NO', default: null },
	{ column: 'name', dataType: 'character varying', sqlType: 'character varying(128)', maxLength: 128, nullable: 'NO', default: null },
	{ column: 'on', dataType: 'ARRAY', sqlType: 'character varying(128)[]', maxLength: null, nullable: 'NO', default: "'{}'::character varying[]" },
	{ column: 'url', dataType: 'character varying', sqlType: 'character varying(1024)', maxLength: 1024, nullable: 'NO', default: null },
	{ column: 'secret', dataType: 'character varying', sqlType: 'character varying(1024)', maxLength: 1024, nullable: 'NO', default: null },
	{ column: 'active', dataType: 'boolean', sqlType: 'boolean', maxLength: null, nullable: 'NO', default: 'true' },
	{ column: 'latestSentAt', dataType: 'timestamp with time zone', sqlType: 'timestamp with time zone', maxLength: null, nullable: 'YES', default: null },
	{ column: 'latestStatus', dataType: 'integer', sqlType: 'integer', maxLength: null, nullable: 'YES', default: null },
];

/** Our pause columns, added after Misskey's by WebhookPause1700000300000: all nullable, no default. */
const expectedPauseColumns = [
	{ column: 'pausedBy', dataType: 'character varying', sqlType: 'character varying(16)', maxLength: 16, nullable: 'YES', default: null },
	{ column: 'pausedReason', dataType: 'character varying', sqlType: 'character varying(512)', maxLength: 512, nullable: 'YES', default: null },
	{ column: 'pausedAt', dataType: 'timestamp with time zone', sqlType: 'timestamp with time zone', maxLength: null, nullable: 'YES', default: null },
	{ column: 'pausedByUserId', dataType: 'character varying', sqlType: 'character varying(32)', maxLength: 32, nullable: 'YES', default: null },
];

/** Our delivery options, added after the pause columns by DeliveryOptions1700000400000. */
const expectedDeliveryOptionColumns = [
	{ column: 'retryPolicy', dataType: 'character varying', sqlType: 'character varying(16)', maxLength: 16, nullable: 'NO', default: "'standard'::character varying" },
	{ column: 'sendSecretHeader', dataType: 'boolean', sqlType: 'boolean', maxLength: null, nullable: 'NO', default: 'true' },
	{ column: 'previousSecret', dataType: 'character varying', sqlType: 'character varying(1024)', maxLength: 1024, nullable: 'YES', default: null },
	{ column: 'previousSecretExpiresAt', dataType: 'timestamp with time zone', sqlType: 'timestamp with time zone', maxLength: null, nullable: 'YES', default: null },
	{ column: 'failingSince', dataType: 'timestamp with time zone', sqlType: 'timestamp with time zone', maxLength: null, nullable: 'YES', default: null },
	{ column: 'excludeSpecifiedNotes', dataType: 'boolean', sqlType: 'boolean', maxLength: null, nullable: 'NO', default: 'false' },
	{ column: 'excludeFollowersNotes', dataType: 'boolean', sqlType: 'boolean', maxLength: null, nullable: 'NO', default: 'false' },
];

/** The body format, added last by PayloadFormat1700000610000: defaulted, so rows Misskey writes get its envelope. */
const expectedFormatColumn = { column: 'format', dataType: 'character varying', sqlType: 'character varying(16)', maxLength: 16, nullable: 'NO', default: "'misskey'::character varying" };

/** The content filter, added by WebhookFilter1700000710000: nullable, no default, so rows Misskey writes deliver every event. */
const expectedFilterColumn = { column: 'filter', dataType: 'jsonb', sqlType: 'jsonb', maxLength: null, nullable: 'YES', default: null };

/** The delivery rate, added after the format by DeliveryRate1700000720000: nullable, no default (null: the format's default). */
const expectedRateColumns = [
	{ column: 'deliveryRate', dataType: 'double precision', sqlType: 'double precision', maxLength: null, nullable: 'YES', default: null },
	{ column: 'deliveryBurst', dataType: 'integer', sqlType: 'integer', maxLength: null, nullable: 'YES', default: null },
];

/** The payload template and its content type, added by PayloadTemplate1700000700000 (TypeORM runs it before the rate's, by timestamp): no template on rows Misskey writes. */
const expectedTemplateColumns = [
	{ column: 'template', dataType: 'text', sqlType: 'text', maxLength: null, nullable: 'YES', default: null },
	{ column: 'templateContentType', dataType: 'character varying', sqlType: 'character varying(32)', maxLength: 32, nullable: 'NO', default: "'application/json'::character varying" },
];

/** Misskey's index names and what each covers. */
const expectedIndexes = [
	{ name: 'IDX_5a056076f76b2efe08216ba655', definition: 'CREATE INDEX "IDX_5a056076f76b2efe08216ba655" ON public.webhook USING btree (active)' },
	{ name: 'IDX_8063a0586ed1dfbe86e982d961', definition: 'CREATE INDEX "IDX_8063a0586ed1dfbe86e982d961" ON public.webhook USING btree ("on")' },
	{ name: 'IDX_f272c8c8805969e6a6449c77b3', definition: 'CREATE INDEX "IDX_f272c8c8805969e6a6449c77b3" ON public.webhook USING btree ("userId")' },
	{ name: 'PK_e6765510c2d078db49632b59020', definition: 'CREATE UNIQUE INDEX "PK_e6765510c2d078db49632b59020" ON public.webhook USING btree (id)' },
];

async function withDataSource<T>(use: (dataSource: DataSource) => Promise<T>): Promise<T> {
	const dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: webhookEntities, migrations: webhookMigrations });
	await dataSource.initialize();
	try {
		return await use(dataSource);
	} finally {
		await dataSource.destroy();
	}
}

const webhookTableExists = () => withDataSource(async (dataSource) => {
	const [{ exists }] = await dataSource.query(`SELECT to_regclass('public.webhook') IS NOT NULL AS "exists"`);
	return exists as boolean;
});

function runCli(script: 'migration:run' | 'migration:revert') {
	return run('npm', ['run', '--silent', script], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: testDatabaseUrl } });
}

describe('migrations', () => {
	describe('on an empty database', () => {
		let dataSource: DataSource;

		before(async () => {
			await resetDatabase();
			dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: webhookEntities, migrations: webhookMigrations });
			await dataSource.initialize();
			await dataSource.runMigrations();
		});

		after(async () => {
			await dataSource.destroy();
		});

		const webhookColumns = () => dataSource.query(`
			SELECT c.column_name AS "column", c.data_type AS "dataType", format_type(a.atttypid, a.atttypmod) AS "sqlType",
				c.character_maximum_length AS "maxLength", c.is_nullable AS "nullable", c.column_default AS "default"
			FROM information_schema.columns c
			JOIN pg_attribute a ON a.attrelid = 'public.webhook'::regclass AND a.attname = c.column_name
			WHERE c.table_schema = 'public' AND c.table_name = 'webhook'
			ORDER BY c.ordinal_position`);

		it('creates the webhook table with Misskey\'s columns, types, nullability and defaults', async () => {
			const columns = await webhookColumns();
			assert.deepEqual(columns.slice(0, expectedColumns.length), expectedColumns);
		});

		it('adds our four pause columns right after Misskey\'s, nullable and without default', async () => {
			const columns = await webhookColumns();
			assert.deepEqual(columns.slice(expectedColumns.length, expectedColumns.length + expectedPauseColumns.length), expectedPauseColumns);
		});

		it('adds our delivery option columns after the pause columns, then the format, then the template, the filter, the rate, and nothing else', async () => {
			const columns = await webhookColumns();
			assert.deepEqual(columns.slice(expectedColumns.length + expectedPauseColumns.length), [...expectedDeliveryOptionColumns, expectedFormatColumn, ...expectedTemplateColumns, expectedFilterColumn, ...expectedRateColumns]);
		});

		it('creates Misskey\'s primary key and three indexes under their names', async () => {
			const indexes = await dataSource.query(`SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'webhook' ORDER BY indexname`);
			assert.deepEqual(indexes, expectedIndexes);
			const [primaryKey] = await dataSource.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.webhook'::regclass AND contype = 'p'`);
			assert.equal(primaryKey.conname, 'PK_e6765510c2d078db49632b59020');
		});

		it('keeps Misskey\'s two column comments', async () => {
			const comments = await dataSource.query(`
				SELECT a.attname AS "column", col_description(a.attrelid, a.attnum) AS "comment"
				FROM pg_attribute a
				WHERE a.attrelid = 'public.webhook'::regclass AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NOT NULL
				ORDER BY a.attnum`);
			assert.deepEqual(comments, [
				{ column: 'userId', comment: 'The owner ID.' },
				{ column: 'name', comment: 'The name of the Antenna.' },
			]);
		});

		it('needs no host user table: the webhook table has no foreign key', async () => {
			const foreignKeys = await dataSource.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.webhook'::regclass AND contype = 'f'`);
			assert.deepEqual(foreignKeys, []);
		});

		it('matches the entity, so TypeORM finds nothing to synchronize', async () => {
			const pending = await dataSource.driver.createSchemaBuilder().log();
			assert.deepEqual(pending.upQueries.map((query) => query.query), []);
		});
	});

	describe('programmatically', () => {
		beforeEach(resetDatabase);

		it('runMigrations creates the table and records the migrations; undoing each drops it', async () => {
			await withDataSource(async (dataSource) => {
				const applied = await dataSource.runMigrations();
				assert.equal(applied[0]?.name, 'Webhook1700000000000');
				assert.deepEqual(applied.map((migration) => migration.name).sort(), webhookMigrations.map((migration) => migration.name).sort());
				assert.equal(await webhookTableExists(), true);
				assert.equal(await dataSource.showMigrations(), false);
				for (const _ of applied) await dataSource.undoLastMigration();
				assert.equal(await webhookTableExists(), false);
				assert.equal(await dataSource.showMigrations(), true);
			});
		});

		it('running the migrations twice changes nothing the second time', async () => {
			await withDataSource(async (dataSource) => {
				await dataSource.runMigrations();
				assert.deepEqual(await dataSource.runMigrations(), []);
				assert.equal(await webhookTableExists(), true);
			});
		});
	});

	describe('through the TypeORM CLI', function () {
		// One CLI process per migration to revert, each starting tsx and TypeORM: seconds apiece on a loaded machine.
		this.timeout(180_000);
		beforeEach(resetDatabase);

		it('npm run migration:run creates the table and npm run migration:revert drops it', async () => {
			assert.equal(await webhookTableExists(), false);
			await runCli('migration:run');
			assert.equal(await webhookTableExists(), true);
			// migration:revert undoes one migration per run, newest first.
			for (const _ of webhookMigrations) await runCli('migration:revert');
			assert.equal(await webhookTableExists(), false);
		});
	});
});
