import { DataSource } from 'typeorm';
import type { MixedList, EntitySchema } from 'typeorm';
import { webhookEntities } from '../../src/store/entities.js';
import { webhookMigrations } from '../../migrations/index.js';
import { testDatabaseUrl } from './env.js';

/** A DataSource on an emptied test database with every module migration run, as a host would have it. */
export async function createMigratedDataSource(extra: { entities?: MixedList<Function | string | EntitySchema>; migrations?: Function[] } = {}): Promise<DataSource> {
	await resetDatabase();
	const dataSource = new DataSource({
		type: 'postgres',
		url: testDatabaseUrl,
		entities: [...webhookEntities, ...((extra.entities ?? []) as Function[])],
		migrations: [...webhookMigrations, ...(extra.migrations ?? [])],
	});
	await dataSource.initialize();
	await dataSource.runMigrations();
	return dataSource;
}

/** Drops everything in the public schema, so each suite starts from an empty database. */
export async function resetDatabase(): Promise<void> {
	const dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl });
	await dataSource.initialize();
	try {
		await dataSource.query('DROP SCHEMA IF EXISTS public CASCADE');
		await dataSource.query('CREATE SCHEMA public');
	} finally {
		await dataSource.destroy();
	}
}
