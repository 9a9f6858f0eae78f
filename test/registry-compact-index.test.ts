import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { userWebhookEventTypes, type UserWebhookEventType } from '../src/events/catalogue.js';
import { EventTypeSets, eventTypeBit, eventTypeMaskOf, eventTypesOfMask } from '../src/registry/event-type-set.js';
import { compactReadLayout, recordOf, recordedColumns, rowOf } from '../src/registry/webhook-record.js';
import { WebhookIndex } from '../src/registry/webhook-index.js';
import { WebhookRegistry } from '../src/registry/webhook-registry.js';
import { WebhookStore, webhookTimestampColumns } from '../src/store/webhook-store.js';
import { WebhookEntity } from '../src/store/webhook.entity.js';
import { webhookEntities } from '../src/store/entities.js';
import { createMigratedDataSource } from './support/database.js';
import { testDatabaseUrl, testRedisUrl } from './support/env.js';
import { webhookRow } from './support/registry-fixtures.js';

const ids = (rows: readonly WebhookEntity[]) => rows.map((row) => row.id);

/** A row with every column set, none to its default: what the record must give back whole. */
function rowWithEverything(overrides: Partial<WebhookEntity> = {}): WebhookEntity {
	return webhookRow({
		retryPolicy: 'misskey',
		sendSecretHeader: false,
		excludeSpecifiedNotes: true,
		excludeFollowersNotes: true,
		format: 'discord',
		deliveryRate: 2.5,
		deliveryBurst: 5,
		template: 'Note: {{body.note.text}}',
		templateContentType: 'text/plain',
		filter: { any: [{ hashtag: ['misskey'] }, { not: { visibility: 'specified' } }] },
		latestSentAt: new Date('2029-12-31T01:00:00.123Z'),
		latestStatus: 503,
		previousSecret: 'old',
		previousSecretExpiresAt: new Date('2030-01-02T03:04:05.678Z'),
		failingSince: new Date('2029-12-30T00:00:00.001Z'),
		pausedBy: 'auto',
		pausedReason: 'failing',
		pausedAt: new Date('2029-12-31T00:00:00.000Z'),
		pausedByUserId: 'mod1',
		...overrides,
	});
}

describe('registry: compact webhook records', () => {
	describe('event types as a bitmask', () => {
		it('each event type has its own bit, and a mask gives back the types in catalogue order', () => {
			const bits = userWebhookEventTypes.map(eventTypeBit);
			assert.equal(new Set(bits).size, userWebhookEventTypes.length);
			for (const bit of bits) assert.equal(bit & (bit - 1), 0, `${bit} is one bit`);
			for (const type of userWebhookEventTypes) assert.deepEqual(eventTypesOfMask(eventTypeMaskOf([type])), [type]);
		});

		it('every subset of the event types round-trips', () => {
			for (let mask = 0; mask < 1 << userWebhookEventTypes.length; mask++) {
				const types = userWebhookEventTypes.filter((_, i) => (mask & (1 << i)) !== 0);
				assert.deepEqual(eventTypesOfMask(eventTypeMaskOf(types)), types);
			}
		});

		it('unknown strings and repeats add nothing to a mask', () => {
			assert.equal(eventTypeMaskOf(['note', 'note', 'nonsense']), eventTypeBit('note'));
			assert.equal(eventTypeBit('nonsense'), 0);
		});

		it('one shared set per distinct list, whether given as an array or as JSON text', () => {
			const sets = new EventTypeSets();
			const fromArray = sets.of(['note', 'reply']);
			assert.equal(sets.of(['note', 'reply']), fromArray);
			assert.equal(sets.ofJson('["note","reply"]'), fromArray);
			assert.notEqual(sets.of(['reply', 'note']), fromArray, 'another order is another list');
			assert.notEqual(sets.of(['note,reply']), fromArray, 'a comma inside a value is not two values');
			assert.ok(Object.isFrozen(fromArray.on));
		});
	});

	describe('a record gives back the row it was made from', () => {
		const sets = new EventTypeSets();
		const cases: Array<[string, WebhookEntity]> = [
			['a usual row', rowWithEverything({ retryPolicy: 'standard', sendSecretHeader: true, excludeSpecifiedNotes: false, excludeFollowersNotes: false, latestSentAt: null, latestStatus: null, previousSecret: null, previousSecretExpiresAt: null, failingSince: null, pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null, filter: null })],
			['a row with every column away from its default', rowWithEverything()],
			['a row subscribed to every event type', rowWithEverything({ on: [...userWebhookEventTypes] })],
			['a row whose on has repeats, an unknown type and its own order', rowWithEverything({ on: ['reply', 'note', 'reply', 'later' as UserWebhookEventType] })],
			['a row with a retry policy this version does not know', rowWithEverything({ retryPolicy: 'forever' as WebhookEntity['retryPolicy'] })],
		];
		for (const [what, row] of cases) {
			it(what, () => {
				const rebuilt = rowOf(recordOf(row, sets));
				assert.deepEqual({ ...rebuilt }, { ...row });
			});
		}

		it('each rebuilt row is a new object, so a caller changing it changes nothing held', () => {
			const row = rowWithEverything();
			const record = recordOf(row, sets);
			const first = rowOf(record);
			first.on.push('mention');
			first.latestSentAt!.setTime(0);
			first.previousSecretExpiresAt!.setTime(0);
			assert.deepEqual({ ...rowOf(record) }, { ...rowWithEverything({ id: row.id }) });
		});

		it('the record keeps every column of the entity, and the store lists every timestamp column', async () => {
			const dataSource = await createMigratedDataSource();
			try {
				const { columns } = dataSource.getMetadata(WebhookEntity);
				const names = columns.map((column) => column.propertyName).sort();
				assert.deepEqual([...recordedColumns].sort(), names);
				// A usual row's record has no `rare` (no rotation, pause, delivery rate, template or filter): every column must still come back from the record's own fields.
				const usual = recordOf(rowWithEverything({ previousSecret: null, previousSecretExpiresAt: null, failingSince: null, pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null, deliveryRate: null, deliveryBurst: null, template: null, filter: null }), new EventTypeSets());
				assert.equal(usual.rare, null);
				assert.deepEqual(Object.keys(rowOf(usual)).sort(), names);
				const timestamps = columns.filter((column) => column.type === 'timestamp with time zone').map((column) => column.propertyName);
				assert.deepEqual([...webhookTimestampColumns].sort(), timestamps.sort());
			} finally {
				await dataSource.destroy();
			}
		});
	});

	describe('the index stays consistent through changes', () => {
		const all = (index: WebhookIndex, owner: string) => userWebhookEventTypes.map((type) => ids(index.match(owner, type)).join(','));

		it('a webhook with every event type is matched for each, and forgotten for each when removed', () => {
			const index = new WebhookIndex([webhookRow({ id: 'w', userId: 'alice', on: [...userWebhookEventTypes] })]);
			for (const type of userWebhookEventTypes) assert.deepEqual(ids(index.match('alice', type)), ['w'], type);
			index.remove('w');
			for (const type of userWebhookEventTypes) assert.equal(index.match('alice', type).length, 0, type);
			assert.equal(index.size, 0);
			assert.equal(index.get('w'), undefined);
			assert.equal(index.secretsOf('w'), undefined);
		});

		it('updates, owner moves and removals keep the id lookup, the owner lists and the secrets in step', () => {
			const index = new WebhookIndex();
			index.put(webhookRow({ id: 'a', userId: 'alice', on: ['note'], secret: 's-a' }));
			index.put(webhookRow({ id: 'b', userId: 'alice', on: ['note', 'reply'] }));
			index.put(webhookRow({ id: 'c', userId: 'bob', on: ['note'] }));
			index.put(webhookRow({ id: 'a', userId: 'alice', on: ['reply', 'note'], secret: 's-a2' }));
			assert.deepEqual(ids(index.match('alice', 'reply')), ['a', 'b'], 'an update keeps its place among the owner\'s webhooks');
			assert.equal(index.secretsOf('a')?.secret, 's-a2');
			index.put(webhookRow({ id: 'b', userId: 'bob', on: ['reply'] }));
			assert.deepEqual(all(index, 'alice'), all(new WebhookIndex([webhookRow({ id: 'a', userId: 'alice', on: ['reply', 'note'] })]), 'alice'));
			assert.deepEqual(ids(index.match('bob', 'note')), ['c']);
			assert.deepEqual(ids(index.match('bob', 'reply')), ['b']);
			assert.equal(index.get('b')?.userId, 'bob');
			index.remove('a');
			index.remove('a');
			assert.equal(index.size, 2);
			assert.deepEqual(all(index, 'alice'), userWebhookEventTypes.map(() => ''));
			index.put(webhookRow({ id: 'c', userId: 'bob', on: ['note'], active: true }));
			assert.deepEqual(ids(index.match('bob', 'note')), ['c']);
			assert.equal(index.size, 2);
		});

		it('a replacement is not seen until it finishes, and then replaces everything', () => {
			const index = new WebhookIndex([webhookRow({ id: 'old', userId: 'alice', on: ['note'] })]);
			const replacement = index.replacement();
			replacement.add(webhookRow({ id: 'new', userId: 'alice', on: ['note'] }));
			replacement.add(webhookRow({ id: 'off', userId: 'alice', on: ['note'], active: false }));
			assert.deepEqual(ids(index.match('alice', 'note')), ['old']);
			replacement.finish();
			assert.deepEqual(ids(index.match('alice', 'note')), ['new']);
			assert.equal(index.size, 1);
		});

		it('a row given twice to a load ends as the later one, in the earlier one\'s place', () => {
			const index = new WebhookIndex([
				webhookRow({ id: 'a', userId: 'alice', on: ['note'], name: 'first' }),
				webhookRow({ id: 'b', userId: 'alice', on: ['note'] }),
				webhookRow({ id: 'a', userId: 'alice', on: ['note'], name: 'second' }),
			]);
			assert.deepEqual(index.match('alice', 'note').map((row) => row.name), ['second', 'hook']);
			assert.equal(index.size, 2);
		});
	});

	describe('the start-up load from the table', () => {
		let dataSource: DataSource;
		let store: WebhookStore;

		before(async () => {
			dataSource = await createMigratedDataSource();
			store = new WebhookStore(dataSource);
		});

		after(async () => {
			await dataSource?.destroy();
		});

		it('a loaded webhook matches as the row TypeORM reads, every column included, microseconds dropped as TypeORM does', async () => {
			const owner = randomUUID().slice(0, 8);
			const usual = await store.create({ userId: owner, name: 'usual', url: 'https://r.example/1', secret: 's1', on: ['note', 'reply'] });
			const full = await store.create({
				userId: owner, name: 'full', url: 'https://r.example/2', secret: 's2', on: ['reply', 'note', 'reply'],
				retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: true, excludeFollowersNotes: true,
			});
			await store.repository.update({ id: full.id }, {
				previousSecret: 'old', previousSecretExpiresAt: new Date('2030-01-02T03:04:05.678Z'), latestSentAt: new Date('2029-12-31T01:00:00.000Z'), latestStatus: 500,
				pausedReason: 'kept while active',
			});
			await dataSource.query(`UPDATE "webhook" SET "failingSince" = '2029-12-30T00:00:00.123999Z' WHERE "id" = $1`, [full.id]);
			const off = await store.create({ userId: owner, name: 'off', url: 'https://r.example/3', secret: 's3', on: ['note'] });
			await store.update(off.id, owner, { active: false });

			const registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel: `compact-${randomUUID()}` });
			try {
				const expected = await Promise.all([usual.id, full.id].map((id) => store.repository.findOneByOrFail({ id })));
				assert.equal(expected[1].failingSince?.toISOString(), '2029-12-30T00:00:00.123Z');
				// The load keeps the table's order, which SQL leaves open: compared by id.
				const byId = (rows: readonly WebhookEntity[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id)).map((row) => ({ ...row }));
				assert.deepEqual(byId(registry.match(owner, 'reply')), byId(expected));
				assert.deepEqual(ids(registry.match(owner, 'note')).sort(), [usual.id, full.id].sort());
				assert.deepEqual(registry.currentSecretsOf('user', full.id), { secret: 's2', previousSecret: 'old', previousSecretExpiresAt: new Date('2030-01-02T03:04:05.678Z') });
				assert.equal(registry.size, 2);
			} finally {
				await registry.close();
			}
		});

		it('loaded webhooks with every column away from its default, or a value this version does not know, come back whole', async () => {
			const owner = randomUUID().slice(0, 8);
			const everything = rowWithEverything({ userId: owner, filter: { all: [{ path: 'note.cw', equals: null }, { path: 'note.text', equals: "it's" }] } });
			const { id: _id, ...columns } = everything;
			const full = await store.create({ userId: owner, name: 'full', url: 'https://r.example/full', secret: 's', on: ['note'] });
			await store.repository.update({ id: full.id }, columns);
			// One unusual column each: a packed column with an unknown value, a number option, a rare column alone.
			const unknownPolicy = await store.create({ userId: owner, name: 'policy', url: 'https://r.example/p', secret: 's', on: ['note'] });
			await dataSource.query(`UPDATE "webhook" SET "retryPolicy" = 'forever' WHERE "id" = $1`, [unknownPolicy.id]);
			const rated = await store.create({ userId: owner, name: 'rated', url: 'https://r.example/r', secret: 's', on: ['note'], deliveryRate: 0.25 });
			const paused = await store.create({ userId: owner, name: 'paused', url: 'https://r.example/q', secret: 's', on: ['note'] });
			await store.repository.update({ id: paused.id }, { pausedBy: 'auto', pausedAt: new Date('2030-05-06T07:08:09.010Z') });

			const registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel: `compact-${randomUUID()}` });
			try {
				const loaded = [full, unknownPolicy, rated, paused].map((row) => registry.match(owner, 'note').find((match) => match.id === row.id));
				const expected = await Promise.all([full, unknownPolicy, rated, paused].map((row) => store.repository.findOneByOrFail({ id: row.id })));
				assert.deepEqual(loaded.map((row) => row && { ...row }), expected.map((row) => ({ ...row })));
				assert.equal(expected[1]!.retryPolicy, 'forever');
				assert.deepEqual(expected[0]!.filter, everything.filter);
			} finally {
				await registry.close();
			}
		});

		it('the load reads serially even where PostgreSQL would scan in parallel, and hands its connection back with no transaction open', async () => {
			// Rows large enough that PostgreSQL cannot send them all ahead into the socket: a scan lasts as long as its reader.
			await dataSource.query(`INSERT INTO "webhook" ("id", "userId", "name", "on", "url", "secret", "active")
				SELECT 'par' || lpad(n::text, 8, '0'), 'par' || (n / 5), 'bulk', '{note}', 'https://r.example/' || n || '/' || repeat('x', 900), 's', true FROM generate_series(1, 20000) AS n`);
			// Every connection of this DataSource plans as if parallel workers cost nothing, so any scan of the table goes parallel.
			const eager = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: [...webhookEntities], extra: { max: 1, options: '-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0' } });
			await eager.initialize();
			const slowly = () => {
				const until = performance.now() + 0.02;
				while (performance.now() < until);
			};
			// Runs `read` while another connection counts, over and over, the statements running on the database besides its own and the parallel workers.
			const watched = async (read: () => Promise<void>) => {
				const seen = { reading: 0, workers: 0 };
				let done = false;
				const watch = (async () => {
					while (!done) {
						const [row] = (await dataSource.query(`SELECT
							count(*) FILTER (WHERE "backend_type" = 'client backend' AND "state" = 'active' AND "pid" <> pg_backend_pid()) AS "reading",
							count(*) FILTER (WHERE "backend_type" = 'parallel worker') AS "workers"
							FROM pg_stat_activity WHERE "datname" = current_database()`)) as { reading: string; workers: string }[];
						seen.reading += Number(row.reading);
						seen.workers += Number(row.workers);
					}
				})();
				try {
					await read();
				} finally {
					done = true;
					await watch;
				}
				return seen;
			};
			try {
				// The premise: the same kind of read, made plainly, runs parallel workers, and the watch sees them.
				const plain = await watched(async () => {
					const pool = (eager.driver as unknown as { master: { connect(): Promise<{ query(query: unknown): NodeJS.EventEmitter; release(): void }> } }).master;
					const { Query } = (eager.driver as unknown as { postgres: { Query: new (config: { text: string }) => unknown } }).postgres;
					const client = await pool.connect();
					try {
						await new Promise<void>((resolve, reject) => {
							const query = client.query(new Query({ text: `SELECT "id", "url" FROM "webhook" WHERE "active" = true` }));
							query.on('row', slowly).on('error', reject).on('end', () => resolve());
						});
					} finally {
						client.release();
					}
				});
				assert.ok(plain.reading > 0 && plain.workers > 0, `the premise: ${JSON.stringify(plain)}`);

				let rows = 0;
				const load = await watched(() => new WebhookStore(eager).forEachActiveCompact(compactReadLayout, () => {
					rows++;
					slowly();
				}));
				assert.ok(rows >= 20000, `${rows} rows read`);
				assert.ok(load.reading > 0, 'the watch overlapped the load');
				assert.equal(load.workers, 0, 'no parallel worker ran for the load');
				const connectionState = async () => {
					const [state] = (await eager.query(`SELECT current_setting('max_parallel_workers_per_gather') AS "workers", now() = statement_timestamp() AS "outsideTransaction"`)) as { workers: string; outsideTransaction: boolean }[];
					return { ...state };
				};
				assert.deepEqual(await connectionState(), { workers: '2', outsideTransaction: true }, 'the one pooled connection is back to its own settings, outside any transaction');
				// A load whose visitor fails rejects with its error, and its connection comes back the same way.
				await assert.rejects(new WebhookStore(eager).forEachActiveCompact(compactReadLayout, () => {
					throw new Error('the visitor failed');
				}), /the visitor failed/);
				assert.deepEqual(await connectionState(), { workers: '2', outsideTransaction: true }, 'after a failed load too');
			} finally {
				await eager.destroy();
				await dataSource.query(`DELETE FROM "webhook" WHERE "id" LIKE 'par%'`);
			}
		});
	});
});
