import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { webhookMigrations } from '../../migrations/index.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import { testDatabaseUrl } from '../support/env.js';
import { buildMisskeyDatabase, misskeyMigrationRows, misskeyRows, misskeyRowsSnapshot, openHostDataSource, schemaSnapshot } from './misskey-database.js';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

type Snapshot = Record<string, unknown[]>;

/** The entries of `after` that `before` does not have, per part of the snapshot. */
function added(before: Snapshot, after: Snapshot): Snapshot {
	const result: Snapshot = {};
	for (const [part, rows] of Object.entries(after)) {
		const known = new Set(before[part].map((row) => JSON.stringify(row)));
		result[part] = rows.filter((row) => !known.has(JSON.stringify(row)));
	}
	return result;
}

/** The columns each migration of the module adds to Misskey's two tables, all nullable or with a default. */
const moduleWebhookColumns = [
	{ column: 'pausedBy', type: 'character varying(16)', nullable: 'YES', default: null },
	{ column: 'pausedReason', type: 'character varying(512)', nullable: 'YES', default: null },
	{ column: 'pausedAt', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'pausedByUserId', type: 'character varying(32)', nullable: 'YES', default: null },
	{ column: 'retryPolicy', type: 'character varying(16)', nullable: 'NO', default: "'standard'::character varying" },
	{ column: 'sendSecretHeader', type: 'boolean', nullable: 'NO', default: 'true' },
	{ column: 'previousSecret', type: 'character varying(1024)', nullable: 'YES', default: null },
	{ column: 'previousSecretExpiresAt', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'failingSince', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'excludeSpecifiedNotes', type: 'boolean', nullable: 'NO', default: 'false' },
	{ column: 'excludeFollowersNotes', type: 'boolean', nullable: 'NO', default: 'false' },
	{ column: 'format', type: 'character varying(16)', nullable: 'NO', default: "'misskey'::character varying" },
	{ column: 'template', type: 'text', nullable: 'YES', default: null },
	{ column: 'templateContentType', type: 'character varying(32)', nullable: 'NO', default: "'application/json'::character varying" },
	{ column: 'filter', type: 'jsonb', nullable: 'YES', default: null },
	{ column: 'deliveryRate', type: 'double precision', nullable: 'YES', default: null },
	{ column: 'deliveryBurst', type: 'integer', nullable: 'YES', default: null },
];
const moduleSystemWebhookColumns = [
	{ column: 'retryPolicy', type: 'character varying(16)', nullable: 'NO', default: "'standard'::character varying" },
	{ column: 'sendSecretHeader', type: 'boolean', nullable: 'NO', default: 'true' },
	{ column: 'previousSecret', type: 'character varying(1024)', nullable: 'YES', default: null },
	{ column: 'previousSecretExpiresAt', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'failingSince', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'pausedBy', type: 'character varying(16)', nullable: 'YES', default: null },
	{ column: 'pausedReason', type: 'character varying(512)', nullable: 'YES', default: null },
	{ column: 'pausedAt', type: 'timestamp with time zone', nullable: 'YES', default: null },
	{ column: 'format', type: 'character varying(16)', nullable: 'NO', default: "'misskey'::character varying" },
	{ column: 'template', type: 'text', nullable: 'YES', default: null },
	{ column: 'templateContentType', type: 'character varying(32)', nullable: 'NO', default: "'application/json'::character varying" },
	{ column: 'filter', type: 'jsonb', nullable: 'YES', default: null },
	{ column: 'deliveryRate', type: 'double precision', nullable: 'YES', default: null },
	{ column: 'deliveryBurst', type: 'integer', nullable: 'YES', default: null },
];

describe('migrations on a database Misskey 2025.9 made', function () {
	this.timeout(60_000);

	describe('adopting webhook and system_webhook', () => {
		let dataSource: DataSource;
		let schemaBefore: Snapshot;
		let rowsBefore: Snapshot;
		let applied: string[];

		before(async () => {
			await buildMisskeyDatabase();
			dataSource = await openHostDataSource();
			schemaBefore = await schemaSnapshot(dataSource);
			rowsBefore = await misskeyRowsSnapshot(dataSource);
			applied = (await dataSource.runMigrations()).map((migration) => migration.name);
		});
		after(async () => {
			await dataSource?.destroy();
		});

		it('runs every module migration and records it in Misskey\'s migrations table, after Misskey\'s own rows', async () => {
			assert.deepEqual(applied, webhookMigrations.map((migration) => migration.name));
			const recorded = await dataSource.query(`SELECT "name" FROM "migrations" ORDER BY "id"`);
			assert.deepEqual(recorded.map((row: { name: string }) => row.name), [...misskeyMigrationRows.map((row) => row.name), ...applied]);
		});

		it('keeps every row of Misskey\'s tables as it was', async () => {
			const rows = await misskeyRowsSnapshot(dataSource);
			assert.deepEqual({ ...rows, migrations: rows.migrations.slice(0, misskeyMigrationRows.length) }, rowsBefore);
		});

		it('keeps every column, index and constraint Misskey had, its foreign key to "user" included', async () => {
			const after = await schemaSnapshot(dataSource);
			for (const part of Object.keys(schemaBefore)) {
				const present = new Set(after[part].map((row) => JSON.stringify(row)));
				const lost = schemaBefore[part].filter((row) => !present.has(JSON.stringify(row)));
				assert.deepEqual(lost, [], `${part} lost or changed`);
			}
			const [foreignKey] = await dataSource.query(`SELECT pg_get_constraintdef(oid) AS "definition" FROM pg_constraint WHERE conname = 'FK_f272c8c8805969e6a6449c77b3c' AND conrelid = 'public.webhook'::regclass`);
			assert.equal(foreignKey.definition, 'FOREIGN KEY ("userId") REFERENCES "user"(id) ON DELETE CASCADE');
		});

		it('adds only the module\'s columns (nullable or defaulted) and the module\'s own tables', async () => {
			const extra = added(schemaBefore, await schemaSnapshot(dataSource));
			const columnsOf = (table: string) => extra.columns
				.filter((row: any) => row.table === table)
				.map(({ column, type, nullable, default: defaultValue }: any) => ({ column, type, nullable, default: defaultValue }));
			assert.deepEqual(columnsOf('webhook'), moduleWebhookColumns);
			assert.deepEqual(columnsOf('system_webhook'), moduleSystemWebhookColumns);
			assert.deepEqual(extra.tables.map((row: any) => row.table), ['webhook_delivery', 'webhook_delivery_attempt', 'webhook_event_intake', 'webhook_moderator_pause', 'webhook_module_adoption']);
			const ownTables = new Set(['webhook_delivery', 'webhook_delivery_attempt', 'webhook_event_intake', 'webhook_moderator_pause', 'webhook_module_adoption']);
			assert.deepEqual(extra.indexes.filter((row: any) => !ownTables.has(row.table)), [], 'no index added to Misskey\'s tables');
			assert.deepEqual(extra.constraints.filter((row: any) => !ownTables.has(row.table)), [], 'no constraint added to Misskey\'s tables');
			assert.deepEqual(await dataSource.query(`SELECT "tableName" FROM "webhook_module_adoption" ORDER BY 1`), [{ tableName: 'system_webhook' }, { tableName: 'webhook' }]);
		});

		it('the module reads the existing webhooks, with their old secrets and our defaults', async () => {
			const hooks = await new WebhookStore(dataSource).repository.find({ order: { id: 'ASC' } });
			assert.deepEqual(hooks.map((hook) => [hook.id, hook.userId, hook.secret, hook.active, hook.retryPolicy, hook.pausedBy, hook.format]),
				misskeyRows.webhooks.map((hook) => [hook.id, hook.userId, hook.secret, hook.active, 'standard', null, 'misskey']));
			const systemHooks = await new SystemWebhookStore(dataSource).repository.find({ order: { id: 'ASC' } });
			assert.deepEqual(systemHooks.map((hook) => [hook.id, hook.secret, hook.isActive, hook.sendSecretHeader, hook.format]),
				misskeyRows.systemWebhooks.map((hook) => [hook.id, hook.secret, hook.isActive, true, 'misskey']));
		});

		it('a row Misskey inserts with only its own columns is accepted and read back by Misskey\'s columns', async () => {
			await dataSource.query(`INSERT INTO "webhook" ("id", "userId", "name", "on", "url", "secret") VALUES ('9zbbbbbbb9', $1, 'made by Misskey', '{reaction}', 'https://r.example/', 's')`, [misskeyRows.users[0]]);
			await dataSource.query(`INSERT INTO "system_webhook" ("id", "name", "on", "url", "secret") VALUES ('9zccccccc9', 'made by Misskey', '{abuseReport}', 'https://r.example/', 's')`);
			const [hook] = await dataSource.query(`SELECT "active", "on", "latestSentAt", "latestStatus" FROM "webhook" WHERE "id" = '9zbbbbbbb9'`);
			assert.deepEqual(hook, { active: true, on: ['reaction'], latestSentAt: null, latestStatus: null });
			const [systemHook] = await dataSource.query(`SELECT "isActive", "on" FROM "system_webhook" WHERE "id" = '9zccccccc9'`);
			assert.deepEqual(systemHook, { isActive: true, on: ['abuseReport'] });
		});

		it('deleting a Misskey user still deletes its webhooks: the foreign key cascades', async () => {
			const owner = misskeyRows.users[0];
			assert.notEqual((await dataSource.query(`SELECT "id" FROM "webhook" WHERE "userId" = $1`, [owner])).length, 0);
			await dataSource.query(`DELETE FROM "user" WHERE "id" = $1`, [owner]);
			assert.deepEqual(await dataSource.query(`SELECT "id" FROM "webhook" WHERE "userId" = $1`, [owner]), []);
			assert.equal((await dataSource.query(`SELECT "id" FROM "webhook"`)).length, 1, 'the other user\'s webhook stays');
		});
	});

	describe('reverting all the way down', () => {
		it('undoing every module migration restores Misskey\'s exact schema and rows', async () => {
			await buildMisskeyDatabase();
			const dataSource = await openHostDataSource();
			try {
				const schemaBefore = await schemaSnapshot(dataSource);
				const rowsBefore = await misskeyRowsSnapshot(dataSource);
				await dataSource.runMigrations();
				// Something only the module knows, to be sure revert copes with data in the module's columns and tables.
				await dataSource.query(`UPDATE "webhook" SET "retryPolicy" = 'patient', "pausedBy" = 'moderator' WHERE "id" = $1`, [misskeyRows.webhooks[1].id]);
				await dataSource.query(`INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "webhookId", "eventId", "type", "body", "url", "secret", "retryPolicy", "maxAttempts", "createdAt")
					VALUES ('d1', 'user', 'q', $1, gen_random_uuid(), 'note', '{}', 'https://r.example/', 's', 'standard', 3, now())`, [misskeyRows.webhooks[0].id]);
				for (const _ of webhookMigrations) await dataSource.undoLastMigration();
				assert.deepEqual(await schemaSnapshot(dataSource), schemaBefore);
				assert.deepEqual(await misskeyRowsSnapshot(dataSource), rowsBefore);
				// And the database can be adopted again.
				assert.equal((await dataSource.runMigrations()).length, webhookMigrations.length);
			} finally {
				await dataSource.destroy();
			}
		});

		it('npm run migration:run then migration:revert, once per migration, leave Misskey\'s schema and rows as they were', async () => {
			await buildMisskeyDatabase();
			const dataSource = await openHostDataSource();
			try {
				const schemaBefore = await schemaSnapshot(dataSource);
				const rowsBefore = await misskeyRowsSnapshot(dataSource);
				const cli = (script: string) => run('npm', ['run', '--silent', script], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: testDatabaseUrl } });
				await cli('migration:run');
				assert.ok((await schemaSnapshot(dataSource)).tables.some((row: any) => row.table === 'webhook_delivery'));
				for (const _ of webhookMigrations) await cli('migration:revert');
				assert.deepEqual(await schemaSnapshot(dataSource), schemaBefore);
				assert.deepEqual(await misskeyRowsSnapshot(dataSource), rowsBefore);
			} finally {
				await dataSource.destroy();
			}
		});
	});
});
