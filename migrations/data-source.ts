import { DataSource } from 'typeorm';
import { webhookEntities } from '../src/store/entities.js';
import { webhookMigrations } from './index.js';

/** The DataSource the TypeORM CLI uses (`npm run migration:run` / `migration:revert`); DATABASE_URL picks the database. */
export default new DataSource({
	type: 'postgres',
	url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/misskey_webhooks',
	entities: webhookEntities,
	migrations: webhookMigrations,
});
