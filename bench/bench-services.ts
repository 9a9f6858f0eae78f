import { DataSource } from 'typeorm';
import { webhookEntities, webhookMigrations } from '../src/index.js';
import { ensureDatabase } from '../examples/host/database.js';

/** The benchmarks' PostgreSQL: a database of their own, never one the tests or the reference host use. */
export const benchDatabaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/misskey_webhooks_bench';
export const benchRedisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** The benchmark database, created when missing, with every module migration run; `extra` goes to the pg pool. */
export async function openBenchDatabase(extra?: Record<string, unknown>): Promise<DataSource> {
	await ensureDatabase(benchDatabaseUrl);
	const dataSource = new DataSource({ type: 'postgres', url: benchDatabaseUrl, entities: [...webhookEntities], migrations: [...webhookMigrations], ...(extra ? { extra } : {}) });
	await dataSource.initialize();
	try {
		await dataSource.runMigrations();
	} catch (error) {
		await dataSource.destroy();
		throw error;
	}
	return dataSource;
}

/** A host adapter for benchmarks that start the module without raising events: nothing in it is ever asked. */
export const idleBenchHost = {
	authenticate: async () => null,
	isThreadMuted: async () => false,
	packNote: async (): Promise<never> => { throw new Error('unused'); },
	packUserLite: async (): Promise<never> => { throw new Error('unused'); },
	packUserDetailed: async (): Promise<never> => { throw new Error('unused'); },
};
