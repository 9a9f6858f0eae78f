import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { sqlStateOf } from '../core/database-error.js';

// SQLSTATEs of a connection that does not keep what was prepared on it (a pooler in transaction mode hands each
// statement to any server connection): 26000 the statement is not there, 42P05 a statement of that name already is.
const NOT_KEPT = new Set(['26000', '42P05']);

/** The pg pool behind a DataSource (TypeORM 0.3's PostgresDriver keeps it as `master`), or null for any other. */
interface PgPool {
	query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

// Pools whose connections lost a prepared statement once: from then on every statement goes unnamed through them.
const unnamedPools = new WeakSet<object>();

/**
 * One constant statement of the hot path (the outbox INSERT, the attempt write, the status write), run as a named
 * prepared statement on each connection of the DataSource's pool: PostgreSQL parses and plans it once per connection
 * instead of at every call, which for one event a statement is about half of PostgreSQL's CPU for it
 * (docs/performance.md). A DataSource whose connections do not keep prepared statements (PgBouncer in transaction
 * mode) is found at its first failure, and the statement runs unnamed there, as any other, from then on: the failed
 * call is retried, since a statement that failed to bind never ran.
 */
export class PreparedStatement<Row> {
	readonly name: string;

	/** `label` names the statement in `pg_prepared_statements`; the name also carries the text's digest. */
	constructor(label: string, readonly text: string) {
		this.name = `misskey_webhooks_${label}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
	}

	async run(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
		const pool = poolOf(dataSource);
		if (!pool || unnamedPools.has(pool)) return dataSource.query(this.text, values);
		try {
			return (await pool.query({ name: this.name, text: this.text, values })).rows as Row[];
		} catch (error) {
			if (!NOT_KEPT.has(sqlStateOf(error) ?? '')) throw error;
			unnamedPools.add(pool);
			return dataSource.query(this.text, values);
		}
	}
}

/** Sends every prepared statement of this DataSource unnamed, as a DataSource whose connections lost one is. */
export function sendUnnamed(dataSource: DataSource): void {
	const pool = poolOf(dataSource);
	if (pool) unnamedPools.add(pool);
}

function poolOf(dataSource: DataSource): PgPool | null {
	if (dataSource.options.type !== 'postgres') return null;
	const pool = (dataSource.driver as { master?: unknown }).master;
	return typeof (pool as PgPool | undefined)?.query === 'function' ? (pool as PgPool) : null;
}
