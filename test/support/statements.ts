import type { DataSource } from 'typeorm';

type Send = () => Promise<unknown>;

/**
 * Puts `around` around every statement sent through `dataSource`, whichever way the module sends it: by
 * `dataSource.query`, or as a named prepared statement on the DataSource's pg pool. `around` gets the statement's text
 * and the call that sends it, and answers for it. Returns the undo.
 */
export function aroundStatements(dataSource: DataSource, around: (text: string, send: Send) => Promise<unknown>): () => void {
	const query = dataSource.query.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
	dataSource.query = ((text: string, ...rest: unknown[]) => around(text, () => query(text, ...rest))) as typeof dataSource.query;
	const pool = (dataSource.driver as unknown as { master: { query: (...args: unknown[]) => Promise<unknown> } }).master;
	const poolQuery = pool.query;
	pool.query = (config: unknown, ...rest: unknown[]) => around(typeof config === 'string' ? config : (config as { text: string }).text, () => poolQuery.call(pool, config, ...rest));
	return () => {
		dataSource.query = query as typeof dataSource.query;
		pool.query = poolQuery;
	};
}
