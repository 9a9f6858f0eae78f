import assert from 'node:assert/strict';
import type pg from 'pg';
import { openDatabase } from '../../examples/host/database.js';
import { resetDatabase } from '../support/database.js';
import { testDatabaseUrl } from '../support/env.js';

describe('reference host database (examples/host/database.ts)', () => {
	it('a connection that reports an error while checked out between queries does not end the process', async () => {
		await resetDatabase();
		const dataSource = await openDatabase(testDatabaseUrl);
		try {
			const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
			// A client as its pool hands it over: the pool's own error listener is gone until it comes back.
			const client = await pool.connect();
			try {
				assert.ok(client.listenerCount('error') > 0, 'the client listens for errors while checked out');
				// What pg does with PostgreSQL's last message on a connection with no query running.
				assert.doesNotThrow(() => client.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })));
			} finally {
				client.release(new Error('the connection was ended'));
			}
			// The pool goes on with a new connection.
			assert.deepEqual(await dataSource.query('SELECT 1 AS "one"'), [{ one: 1 }]);
		} finally {
			await dataSource.destroy();
		}
	});
});
