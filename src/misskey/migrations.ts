import type { MigrationInterface } from 'typeorm';
import { webhookMigrations } from '../../migrations/index.js';

/**
 * The module's migrations as a Misskey server lists them beside its own. TypeORM runs one list in the order of the
 * timestamps at the end of the names, and the module's own names are older than Misskey's migration that creates
 * `system_webhook`: on a fresh database they would create the table first and Misskey's migration would then fail.
 * Renamed past Misskey 2025.9's last migration, they run after Misskey's and adopt its tables. The names are fixed: a
 * database records them, so they must never change.
 */
const firstTimestamp = 1757400000000;

function renamed(migration: new () => MigrationInterface, timestamp: number): new () => MigrationInterface {
	const name = `MisskeyWebhooks${migration.name.replace(/\d+$/, '')}${timestamp}`;
	const Renamed = class extends migration {
		name = name;
	};
	Object.defineProperty(Renamed, 'name', { value: name });
	return Renamed;
}

export const misskeyWebhookMigrations: ReadonlyArray<new () => MigrationInterface> = webhookMigrations.map((migration, index) => renamed(migration, firstTimestamp + index * 100));
