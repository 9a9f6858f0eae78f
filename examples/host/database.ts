import { DataSource } from 'typeorm';
import { webhookEntities, webhookMigrations } from '../../src/index.js';
import { hostEntities } from './entities/index.js';
import { hostMigrations } from './migrations/index.js';

/** The host's DataSource: its own tables and the module's, with every migration of both run before it is returned. */
export async function openDatabase(url: string): Promise<DataSource> {
	const dataSource = new DataSource({
		type: 'postgres',
		url,
		entities: [...webhookEntities, ...hostEntities],
		migrations: [...webhookMigrations, ...hostMigrations],
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
