import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { buildMisskeyDatabase, misskeyRowsSnapshot, openHostDataSource, schemaSnapshot, type MisskeyDatabaseOptions } from './misskey-database.js';

/** Builds a Misskey-like database of another shape, runs the migrations, and returns the error and whether anything changed. */
async function migrateMisshapen(options: MisskeyDatabaseOptions): Promise<{ error: Error; dataSource: DataSource; unchanged: () => Promise<void> }> {
	await buildMisskeyDatabase(options);
	const dataSource = await openHostDataSource();
	const schemaBefore = await schemaSnapshot(dataSource);
	const rowsBefore = await misskeyRowsSnapshot(dataSource);
	const error = await dataSource.runMigrations().then(
		() => assert.fail('the migrations ran on a table of another shape'),
		(caught: Error) => caught,
	);
	return {
		error,
		dataSource,
		unchanged: async () => {
			assert.deepEqual(await schemaSnapshot(dataSource), schemaBefore);
			assert.deepEqual(await misskeyRowsSnapshot(dataSource), rowsBefore);
		},
	};
}

describe('migrations on a table named like Misskey\'s but shaped otherwise', function () {
	this.timeout(60_000);
	let dataSource: DataSource | undefined;

	afterEach(async () => {
		await dataSource?.destroy();
		dataSource = undefined;
	});

	it('a webhook.secret of another type stops them with the column, the expected and the found type, and changes nothing', async () => {
		const result = await migrateMisshapen({ webhookSecretType: 'character varying(512)' });
		dataSource = result.dataSource;
		assert.equal(result.error.name, 'MisskeyTableShapeError');
		assert.match(result.error.message, /Table "webhook" exists but is not shaped as Misskey leaves it/);
		assert.match(result.error.message, /column "secret": expected type character varying\(1024\), found character varying\(512\)/);
		assert.match(result.error.message, /nothing was changed/);
		await result.unchanged();
	});

	it('a missing webhook column is named with the type it should have, and nothing changes', async () => {
		const result = await migrateMisshapen({ withoutWebhookLatestStatus: true });
		dataSource = result.dataSource;
		assert.match(result.error.message, /Table "webhook"/);
		assert.match(result.error.message, /column "latestStatus" is missing \(expected integer\)/);
		await result.unchanged();
	});

	it('a misshapen system_webhook stops them before the (matching) webhook table is touched', async () => {
		const result = await migrateMisshapen({ systemWebhookOnType: `text[] NOT NULL DEFAULT '{}'::text[]` });
		dataSource = result.dataSource;
		assert.match(result.error.message, /Table "system_webhook"/);
		assert.match(result.error.message, /column "on": expected type character varying\(128\)\[\], found text\[\]/);
		assert.match(result.error.message, /column "on": expected default '\{\}'::character varying\[\], found default '\{\}'::text\[\]/);
		await result.unchanged();
	});

	it('even without a transaction (a host running migrations with transaction: none), nothing changes', async () => {
		await buildMisskeyDatabase({ systemWebhookOnType: `text[] NOT NULL DEFAULT '{}'::text[]` });
		dataSource = await openHostDataSource();
		const schemaBefore = await schemaSnapshot(dataSource);
		const rowsBefore = await misskeyRowsSnapshot(dataSource);
		// Both shared tables are checked before the first write, so the adoption of the matching webhook table never starts.
		await assert.rejects(dataSource.runMigrations({ transaction: 'none' }), /Table "system_webhook"/);
		assert.deepEqual(await schemaSnapshot(dataSource), schemaBefore);
		assert.deepEqual(await misskeyRowsSnapshot(dataSource), rowsBefore);
	});

	it('an unknown extra column makes the shape differ too', async () => {
		await buildMisskeyDatabase();
		dataSource = await openHostDataSource();
		await dataSource.query(`ALTER TABLE "webhook" ADD "color" character varying(7)`);
		const schemaBefore = await schemaSnapshot(dataSource);
		await assert.rejects(dataSource.runMigrations(), /column "color" \(character varying\(7\)\) is not one of Misskey's/);
		assert.deepEqual(await schemaSnapshot(dataSource), schemaBefore);
	});
});
