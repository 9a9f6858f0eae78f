import pg from 'pg';
import { ensureDatabase } from '../../examples/host/database.js';
import { TEST_DATABASE_PREFIX, testDatabaseUrl } from './env.js';

// The suites empty their database again and again, so they run on one of their own, never on one someone uses:
// created before the first suite, dropped after the last one (connections of host processes still open included).
// A database given in TEST_DATABASE_URL that existed before the run is left in place.

let created = false;

function databaseNameOf(url: string): string {
	return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const maintenance = new URL(testDatabaseUrl);
	maintenance.pathname = '/postgres';
	const client = new pg.Client({ connectionString: maintenance.href });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Drops the databases of earlier runs on this machine whose process is gone (killed before its own clean-up). */
async function dropAbandonedDatabases(): Promise<void> {
	await onServer(async (client) => {
		const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEST_DATABASE_PREFIX}%`]);
		for (const { datname } of rows) {
			const pid = Number(datname.slice(TEST_DATABASE_PREFIX.length));
			if (!Number.isInteger(pid) || pid === process.pid || processIsAlive(pid)) continue;
			await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
		}
	});
}

export const mochaHooks = {
	async beforeAll(): Promise<void> {
		await dropAbandonedDatabases();
		created = await ensureDatabase(testDatabaseUrl);
	},
	async afterAll(): Promise<void> {
		if (!created) return;
		await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseNameOf(testDatabaseUrl))} WITH (FORCE)`));
	},
};
