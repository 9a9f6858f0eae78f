import pg from 'pg';
import { ensureDatabase } from '../../examples/host/database.js';
import { testDatabaseUrl } from './env.js';

// The suites empty their database again and again, so they run on one of their own, never on one someone uses:
// created before the first suite, dropped after the last one (connections of host processes still open included).
const DEFAULT_TEST_DATABASE = 'misskey_webhooks_test';

let created = false;

export const mochaHooks = {
	async beforeAll(): Promise<void> {
		created = await ensureDatabase(testDatabaseUrl);
	},
	async afterAll(): Promise<void> {
		const name = decodeURIComponent(new URL(testDatabaseUrl).pathname.slice(1));
		if (!created && name !== DEFAULT_TEST_DATABASE) return;
		const maintenance = new URL(testDatabaseUrl);
		maintenance.pathname = '/postgres';
		const client = new pg.Client({ connectionString: maintenance.href });
		await client.connect();
		try {
			await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
		} finally {
			await client.end();
		}
	},
};
