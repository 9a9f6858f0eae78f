import type { DataSource } from 'typeorm';

type Send = () => Promise<unknown>;

interface CheckedOut {
	query(...args: unknown[]): Promise<unknown>;
	release(...args: unknown[]): void;
}

/**
 * Puts `around` around every statement sent through `dataSource`, whichever way the module sends it: by
 * `dataSource.query`, or as a named prepared statement on a connection it checks out of the DataSource's pg pool.
 * `around` gets the statement's text and the call that sends it, and answers for it. Returns the undo.
 */
export function aroundStatements(dataSource: DataSource, around: (text: string, send: Send) => Promise<unknown>): () => void {
	const query = dataSource.query.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
	dataSource.query = ((text: string, ...rest: unknown[]) => around(text, () => query(text, ...rest))) as typeof dataSource.query;
	const pool = (dataSource.driver as unknown as { master: { connect: (...args: unknown[]) => unknown } }).master;
	const connect = pool.connect;
	pool.connect = (...args: unknown[]) => {
		// TypeORM checks out with a callback, and its statements pass `dataSource.query` above; named ones come this way.
		if (args.length > 0) return connect.apply(pool, args);
		return (connect.call(pool) as Promise<CheckedOut>).then((client) => {
			const send = client.query;
			const release = client.release;
			client.query = (config: unknown, ...rest: unknown[]) => {
				const named = typeof config === 'object' && config !== null && 'name' in config;
				return named ? around((config as unknown as { text: string }).text, () => send.call(client, config, ...rest)) : send.call(client, config, ...rest);
			};
			client.release = (...releaseArgs: unknown[]) => {
				client.query = send;
				client.release = release;
				return release.apply(client, releaseArgs);
			};
			return client;
		});
	};
	return () => {
		dataSource.query = query as typeof dataSource.query;
		pool.connect = connect;
	};
}
