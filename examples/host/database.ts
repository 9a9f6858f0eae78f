import pg from 'pg';
import { DataSource } from 'typeorm';
import { webhookEntities, webhookMigrations } from '../../src/index.js';
import { hostEntities } from './entities/index.js';
import { hostMigrations } from './migrations/index.js';

/** The database a URL names, created (empty) when the server does not have it yet; resolves with whether it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
	const name = decodeURIComponent(new URL(url).pathname.slice(1));
	if (name === '') return false;
	// Any database that exists serves for the check; `postgres` is there on every server.
	const maintenance = new URL(url);
	maintenance.pathname = '/postgres';
	const client = new pg.Client({ connectionString: maintenance.href });
	await client.connect();
	try {
		const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
		if (found.rowCount !== 0) return false;
		try {
			await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
		} catch (error) {
			// Another process created it between the check and the CREATE.
			if ((error as { code?: string }).code !== '42P04') throw error;
			return false;
		}
		return true;
	} finally {
		await client.end();
	}
}

/**
 * pg's client, always listening for its connection's errors. PostgreSQL ending a connection (a restart, a failover)
 * sends one last error; pg hands it to the running query, or else emits it, and an error emitted with no listener ends
 * the process. A checked-out client can be without one for a moment: its pool drops its own listener when it hands
 * the client over, before the new holder (TypeORM's query runner) adds one, and a message read in the same chunk as the
 * previous query's end lands in that gap. The holder still learns of the lost connection at its next query.
 */
class ListeningClient extends pg.Client {
	constructor(config?: string | pg.ClientConfig) {
		super(config);
		this.on('error', () => undefined);
	}
}

/** The host's DataSource: its own tables and the module's, with every migration of both run before it is returned. */
export async function openDatabase(url: string): Promise<DataSource> {
	await ensureDatabase(url);
	const dataSource = new DataSource({
		type: 'postgres',
		url,
		entities: [...webhookEntities, ...hostEntities],
		migrations: [...webhookMigrations, ...hostMigrations],
		extra: { Client: ListeningClient },
	});
	await dataSource.initialize();
	try {
		await dataSource.runMigrations({ transaction: 'each' });
	} catch (error) {
		await dataSource.destroy();
		throw error;
	}
	return dataSource;
}
