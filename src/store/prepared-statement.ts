import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { sqlStateOf } from '../core/database-error.js';

// SQLSTATEs of a connection that does not keep what was prepared on it (a pooler in transaction mode hands each
// statement to any server connection): 26000 the statement is not there, 42P05 a statement of that name already is.
const NOT_KEPT = new Set(['26000', '42P05']);

/** A connection of the pool, checked out. */
interface PgClient {
	query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
	on(event: 'error', listener: (error: Error) => void): unknown;
	removeListener(event: 'error', listener: (error: Error) => void): unknown;
	release(error?: Error): void;
}

/** The pg pool behind a DataSource (TypeORM 0.3's PostgresDriver keeps it as `master`), or null for any other. */
interface PgPool {
	connect(): Promise<PgClient>;
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
			return (await runNamed(pool, { name: this.name, text: this.text, values })).rows as Row[];
		} catch (error) {
			if (!NOT_KEPT.has(sqlStateOf(error) ?? '')) throw error;
			unnamedPools.add(pool);
			return dataSource.query(this.text, values);
		}
	}
}

/**
 * Runs one statement on a connection of its own and hands the connection back after the statement's promise settled.
 * PostgreSQL ending a connection (a restart) sends one last error, which can arrive in the same read as the statement's
 * end; pg emits it on the client, and with nobody listening the process ends. The pool's own `query` leaves that gap:
 * it hands the connection back while the read is still being parsed, and a caller waiting for a connection takes it
 * before listening to it. Here the client listens until it is back in the pool, which listens from then on.
 */
async function runNamed(pool: PgPool, config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> {
	const client = await pool.connect();
	// The statement's own failure comes back from the query; a lost connection is found by its next user.
	const heard = () => undefined;
	client.on('error', heard);
	let failure: Error | undefined;
	try {
		return await client.query(config);
	} catch (error) {
		failure = error instanceof Error ? error : new Error(String(error));
		throw error;
	} finally {
		client.removeListener('error', heard);
		// Released with its failure, as the pool's `query` does: a connection a statement failed on is not reused.
		client.release(failure);
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
	return typeof (pool as PgPool | undefined)?.connect === 'function' ? (pool as PgPool) : null;
}
