import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { webhookEntities } from '../../src/store/entities.js';
import { DeliveryStore } from '../../src/store/delivery-store.js';
import { AttemptStore } from '../../src/store/attempt-store.js';
import { generateId } from '../../src/store/id.js';
import { PreparedStatement } from '../../src/store/prepared-statement.js';
import { createMigratedDataSource } from '../support/database.js';
import { testDatabaseUrl } from '../support/env.js';

// The hot path's two statements (the outbox INSERT, the attempt write) are prepared once per connection. One
// connection here (pool of 1), so what the server holds for it can be read back through the same pool.
describe('store: the outbox INSERT and the attempt write as prepared statements', () => {
	let migrated: DataSource;
	let dataSource: DataSource;

	before(async () => {
		migrated = await createMigratedDataSource();
	});
	beforeEach(async () => {
		dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: [...webhookEntities], extra: { max: 1 } });
		await dataSource.initialize();
	});
	afterEach(() => dataSource.destroy());
	after(() => migrated.destroy());

	async function writeOne(): Promise<string> {
		const id = generateId();
		await new DeliveryStore(dataSource).insertEvents([{ event: { kind: 'user', queuePrefix: 'prepared', type: 'note', bodyText: '{"note":{}}', createdAt: new Date() }, rows: [{
			id, webhookId: 'hook', userId: 'owner', eventId: randomUUID(), url: 'http://receiver.example/', secret: 's',
			retryPolicy: 'standard', sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'misskey' as const, deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
		}] }]);
		const now = new Date();
		const missing = await new AttemptStore(dataSource).writeBatch(
			[{ id: generateId(), deliveryId: id, number: 1, startedAt: now, durationMs: 3, status: 200, errorClass: null, reason: null, responseBody: null, nextAttemptAt: null, trigger: 'scheduled' }],
			[{ id, added: 1, lastAttemptAt: now, lastStatus: 200, status: 'delivered', scheduled: true, nextAttemptAt: null, finishedAt: now }],
		);
		assert.equal(missing.size, 0);
		return id;
	}

	async function preparedNames(): Promise<string[]> {
		const rows: Array<{ name: string }> = await dataSource.query(`SELECT "name" FROM pg_prepared_statements WHERE "name" LIKE 'misskey_webhooks_%' ORDER BY "name"`);
		return rows.map((row) => row.name.replace(/_[0-9a-f]{12}$/, ''));
	}

	async function statusOf(id: string): Promise<string> {
		const [row] = await dataSource.query(`SELECT "status" FROM "webhook_delivery" WHERE "id" = $1`, [id]);
		return row.status;
	}

	it('both are prepared on the connection the first time, and used again after', async () => {
		assert.deepEqual(await preparedNames(), []);
		const first = await writeOne();
		assert.deepEqual(await preparedNames(), ['misskey_webhooks_attempt_write', 'misskey_webhooks_outbox_insert']);
		const second = await writeOne();
		assert.deepEqual(await preparedNames(), ['misskey_webhooks_attempt_write', 'misskey_webhooks_outbox_insert']);
		assert.deepEqual([await statusOf(first), await statusOf(second)], ['delivered', 'delivered']);
	});

	it('a connection that loses them (a pooler in transaction mode) fails nothing: the statements go unnamed from then on', async () => {
		await writeOne();
		// What a pooler does: the next statement meets a server connection where nothing was prepared.
		await dataSource.query('DEALLOCATE ALL');
		const id = await writeOne();
		assert.equal(await statusOf(id), 'delivered');
		assert.deepEqual(await preparedNames(), [], 'nothing prepared again');
		assert.equal(await statusOf(await writeOne()), 'delivered');
	});

	it('a connection that ends right after a prepared statement, with another caller waiting for it, does not end the process', async () => {
		const statement = new PreparedStatement<{ one: number }>('gap_test', 'SELECT 1 AS "one"');
		// PostgreSQL's last message (a restart) parsed right after the statement's end, before anything else runs.
		const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
		const send = proto.query;
		let armed = true;
		proto.query = function (this: pg.Client, ...args: unknown[]) {
			const [config] = args;
			if (!armed || typeof config !== 'object' || config === null || !('name' in config)) return send.apply(this, args);
			armed = false;
			const ended = () => this.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
			const callback = args.find((arg) => typeof arg === 'function') as ((...results: unknown[]) => void) | undefined;
			if (callback) {
				return send.apply(this, args.map((arg) => (arg === callback ? (...results: unknown[]) => {
					callback(...results);
					ended();
				} : arg)));
			}
			return (send.apply(this, args) as Promise<unknown>).then((result) => {
				ended();
				return result;
			});
		};
		try {
			// One connection: the plain query waits for the one the statement holds.
			const [rows, waited] = await Promise.all([statement.run(dataSource, []), dataSource.query('SELECT 2 AS "two"')]);
			assert.equal(armed, false, 'the statement went the prepared way');
			assert.deepEqual(rows.map((row) => ({ ...row })), [{ one: 1 }]);
			assert.deepEqual(waited, [{ two: 2 }]);
		} finally {
			proto.query = send;
		}
	});
});
