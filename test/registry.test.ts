import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { WebhookRegistry } from '../src/registry/webhook-registry.js';
import { WebhookIndex } from '../src/registry/webhook-index.js';
import { InMemorySyncChannel } from '../src/registry/in-memory-sync.js';
import { decodeInternalMessage } from '../src/registry/internal-event.js';
import type { RegistrySync } from '../src/registry/registry-sync.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import type { WebhookEntity } from '../src/store/webhook.entity.js';
import type { UserWebhookEventType } from '../src/events/catalogue.js';
import { createMigratedDataSource } from './support/database.js';
import { testDatabaseUrl, testRedisUrl } from './support/env.js';
import { webhookRow } from './support/registry-fixtures.js';
import { generateId } from '../src/store/id.js';
import type { FromChild, ToChild } from './support/registry-child.js';
import { eventuallyTrue } from './support/eventually.js';

/** A message as Misskey's `publishInternalEvent` would put it on the channel. */
function internal(type: string, body: unknown, channel = 'internal'): string {
	return JSON.stringify({ channel, message: { type, body } });
}

const ids = (rows: readonly WebhookEntity[]) => rows.map((row) => row.id);

describe('WebhookRegistry', () => {
	describe('index rules (in-memory sync)', () => {
		const a = webhookRow({ id: 'a', userId: 'alice', on: ['note', 'reply'] });
		const b = webhookRow({ id: 'b', userId: 'bob', on: ['note'] });
		const c = webhookRow({ id: 'c', userId: 'alice', on: ['follow'] });

		interface RuleCase {
			behaviour: string;
			loaded: WebhookEntity[];
			published: string[];
			expected: Array<[ownerId: string, type: UserWebhookEventType, ids: string[]]>;
		}

		const cases: RuleCase[] = [
			{
				behaviour: 'a created active webhook is matched for every type in its on',
				loaded: [],
				published: [internal('webhookCreated', a)],
				expected: [['alice', 'note', ['a']], ['alice', 'reply', ['a']], ['alice', 'follow', []]],
			},
			{
				behaviour: 'a created inactive webhook is ignored',
				loaded: [],
				published: [internal('webhookCreated', { ...a, active: false })],
				expected: [['alice', 'note', []], ['alice', 'reply', []]],
			},
			{
				behaviour: 'inactive webhooks loaded at start are not indexed',
				loaded: [{ ...a, active: false }, b],
				published: [],
				expected: [['alice', 'note', []], ['bob', 'note', ['b']]],
			},
			{
				behaviour: 'an update to inactive removes the webhook',
				loaded: [a],
				published: [internal('webhookUpdated', { ...a, active: false })],
				expected: [['alice', 'note', []], ['alice', 'reply', []]],
			},
			{
				behaviour: 'an update to active of a webhook not indexed adds it',
				loaded: [],
				published: [internal('webhookUpdated', a)],
				expected: [['alice', 'note', ['a']]],
			},
			{
				behaviour: 'an update changing on moves the webhook between types',
				loaded: [a],
				published: [internal('webhookUpdated', { ...a, on: ['reply', 'mention'] })],
				expected: [['alice', 'note', []], ['alice', 'reply', ['a']], ['alice', 'mention', ['a']]],
			},
			{
				behaviour: 'an update keeps the webhook in its place among the owner\'s webhooks of a type',
				loaded: [a, webhookRow({ id: 'a2', userId: 'alice', on: ['note'] })],
				published: [internal('webhookUpdated', { ...a, name: 'renamed' })],
				expected: [['alice', 'note', ['a', 'a2']]],
			},
			{
				behaviour: 'a delete removes the webhook from every type',
				loaded: [a, c],
				published: [internal('webhookDeleted', a)],
				expected: [['alice', 'note', []], ['alice', 'reply', []], ['alice', 'follow', ['c']]],
			},
			{
				behaviour: 'a delete removes by id even when the body\'s on differs from the indexed one',
				loaded: [a],
				published: [internal('webhookDeleted', { ...a, on: ['mention'] })],
				expected: [['alice', 'note', []], ['alice', 'reply', []]],
			},
			{
				behaviour: 'the same message heard twice changes nothing more',
				loaded: [],
				published: [internal('webhookCreated', a), internal('webhookCreated', a), internal('webhookUpdated', a)],
				expected: [['alice', 'note', ['a']]],
			},
			{
				behaviour: 'a message on another channel is ignored',
				loaded: [],
				published: [internal('webhookCreated', a, 'broadcast')],
				expected: [['alice', 'note', []]],
			},
			{
				behaviour: 'an internal event of another type is ignored',
				loaded: [a],
				published: [internal('antennaDeleted', a), internal('systemWebhookDeleted', a)],
				expected: [['alice', 'note', ['a']]],
			},
			{
				behaviour: 'a message that is not JSON is ignored',
				loaded: [a],
				published: ['webhookDeleted a'],
				expected: [['alice', 'note', ['a']]],
			},
			{
				behaviour: 'a webhook event whose body lacks an id is ignored',
				loaded: [],
				published: [internal('webhookCreated', { ...a, id: undefined })],
				expected: [['alice', 'note', []]],
			},
			{
				behaviour: 'match returns only the owner\'s webhooks of that type',
				loaded: [a, b, c],
				published: [],
				expected: [['alice', 'note', ['a']], ['bob', 'note', ['b']], ['alice', 'follow', ['c']], ['bob', 'follow', []], ['carol', 'note', []]],
			},
			{
				behaviour: 'a webhook listing a type twice in on is matched once',
				loaded: [],
				published: [internal('webhookCreated', { ...b, on: ['note', 'note'] })],
				expected: [['bob', 'note', ['b']]],
			},
			{
				behaviour: 'an update moving a webhook to another owner moves its matches',
				loaded: [b],
				published: [internal('webhookUpdated', { ...b, userId: 'carol' })],
				expected: [['bob', 'note', []], ['carol', 'note', ['b']]],
			},
		];

		for (const rule of cases) {
			it(rule.behaviour, async () => {
				const channel = new InMemorySyncChannel();
				const registry = await WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => rule.loaded });
				for (const message of rule.published) channel.publish(message);
				for (const [ownerId, type, expected] of rule.expected) {
					assert.deepEqual(ids(registry.match(ownerId, type)), expected, `${ownerId}/${type}`);
				}
				await registry.close();
			});
		}

		it('every miss returns the same frozen empty list', async () => {
			const registry = await WebhookRegistry.startWithSync({ sync: new InMemorySyncChannel().connect(), loadActive: async () => [a] });
			const miss = registry.match('nobody', 'note');
			assert.equal(miss.length, 0);
			assert.ok(Object.isFrozen(miss));
			assert.equal(registry.match('alice', 'mention'), miss);
			await registry.close();
		});

		it('a list handed out by match does not change when the index does', () => {
			const index = new WebhookIndex([a]);
			const before = index.match('alice', 'note');
			index.put(webhookRow({ id: 'a3', userId: 'alice', on: ['note'] }));
			index.remove('a');
			assert.deepEqual(ids(before), ['a']);
			assert.ok(Object.isFrozen(before));
			assert.deepEqual(ids(index.match('alice', 'note')), ['a3']);
		});

		it('size counts the indexed webhooks', async () => {
			const channel = new InMemorySyncChannel();
			const registry = await WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => [a, b, { ...c, active: false }] });
			assert.equal(registry.size, 2);
			channel.publish(internal('webhookDeleted', b));
			assert.equal(registry.size, 1);
			await registry.close();
		});

		it('announce applies the change in its own process before the publish completes', async () => {
			let publishes = 0;
			const stalledSync: RegistrySync = { publish: () => { publishes++; return new Promise(() => {}); }, onMessage: () => {}, close: async () => {} };
			const registry = await WebhookRegistry.startWithSync({ sync: stalledSync, loadActive: async () => [] });
			void registry.announce('webhookCreated', a);
			assert.deepEqual(ids(registry.match('alice', 'note')), ['a']);
			assert.equal(publishes, 1);
		});

		it('announce reaches the other registries on the channel', async () => {
			const channel = new InMemorySyncChannel();
			const [one, two] = await Promise.all([1, 2].map(() => WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => [] })));
			await one.announce('webhookCreated', a);
			assert.deepEqual(ids(two.match('alice', 'reply')), ['a']);
			await two.announce('webhookUpdated', { ...a, active: false });
			assert.deepEqual(ids(one.match('alice', 'reply')), []);
			await Promise.all([one.close(), two.close()]);
		});

		it('a change published while the initial load runs is applied after it', async () => {
			const channel = new InMemorySyncChannel();
			let finishLoad!: (rows: WebhookEntity[]) => void;
			const starting = WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: () => new Promise((resolve) => { finishLoad = resolve; }) });
			channel.publish(internal('webhookDeleted', a));
			channel.publish(internal('webhookCreated', b));
			finishLoad([a]);
			const registry = await starting;
			assert.deepEqual(ids(registry.match('alice', 'note')), []);
			assert.deepEqual(ids(registry.match('bob', 'note')), ['b']);
			await registry.close();
		});

		it('a received latestSentAt is revived to a Date', () => {
			const sentAt = new Date('2025-09-08T12:34:56.789Z');
			const decoded = decodeInternalMessage(internal('webhookUpdated', { ...a, latestSentAt: sentAt, latestStatus: 503 }));
			assert.equal(decoded.kind, 'webhook-change');
			if (decoded.kind !== 'webhook-change') return;
			assert.ok(decoded.event.row.latestSentAt instanceof Date);
			assert.equal(decoded.event.row.latestSentAt.toISOString(), sentAt.toISOString());
			assert.equal(decoded.event.row.latestStatus, 503);
		});

		it('messages of other channels and other internal types are ignored from their start, anything else is parsed', () => {
			const reason = (payload: string) => {
				const decoded = decodeInternalMessage(payload);
				return decoded.kind === 'ignored' ? decoded.reason : decoded.kind;
			};
			// A timeline's packed note, as Misskey publishes it, and the same start cut off: neither is parsed.
			assert.equal(reason(internal('note', { id: 'n1', text: 'webhookCreated' }, 'notesStream')), 'other-channel');
			assert.equal(reason('{"channel":"notesStream","message":{"type":"note","body":{"te'), 'other-channel');
			assert.equal(reason('{"channel":"internal","message":{"type":"metaUpdated","body":{"bro'), 'other-type');
			assert.equal(reason(internal('webhookCreated', a)), 'webhook-change');
			assert.equal(reason(internal('systemWebhookUpdated', { id: 's1', isActive: true, on: [] })), 'system-webhook-change');
			// Other shapes are parsed: spaces, another key order, an escape in the channel or the type.
			assert.equal(reason(JSON.stringify({ channel: 'internal', message: { type: 'webhookCreated', body: a } }, null, 1)), 'webhook-change');
			assert.equal(reason(JSON.stringify({ message: { type: 'webhookCreated', body: a }, channel: 'internal' })), 'webhook-change');
			assert.equal(reason(internal('webhookCreated', a).replace('"channel":"internal"', '"channel":"intern\\u0061l"')), 'webhook-change');
			assert.equal(reason(internal('webhookCreated', a).replace('"type":"webhookCreated"', '"type":"webhook\\u0043reated"')), 'webhook-change');
			assert.equal(reason(internal('webhookCreated', a).replace('"channel":"internal"', '"channel":"intern\\u0061lX"')), 'other-channel');
			assert.equal(reason('{"channel":"internal","message":{"type":"webhookCreated","body":{"id"'), 'not-json');
		});
	});

	describe('sync over Redis', () => {
		let dataSource: DataSource;
		let store: WebhookStore;
		let raw: Redis;
		const registries: WebhookRegistry[] = [];
		const start = async (channel: string) => {
			const registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel });
			registries.push(registry);
			return registry;
		};
		const newChannel = () => `registry-test-${randomUUID()}.example`;

		before(async () => {
			dataSource = await createMigratedDataSource();
			store = new WebhookStore(dataSource);
			raw = new Redis(testRedisUrl);
		});

		after(async () => {
			await Promise.all(registries.map((registry) => registry.close()));
			raw.disconnect();
			await dataSource.destroy();
		});

		it('start loads only the active webhooks from the store', async () => {
			const owner = generateId();
			const active = await store.create({ userId: owner, name: 'on', url: 'https://a.example/', secret: '', on: ['note'] });
			const inactive = await store.create({ userId: owner, name: 'off', url: 'https://b.example/', secret: '', on: ['note'] });
			await store.update(inactive.id, owner, { active: false });
			const registry = await start(newChannel());
			assert.deepEqual(ids(registry.match(owner, 'note')), [active.id]);
		});

		it('two registries on one channel see each other\'s announcements', async () => {
			const channel = newChannel();
			const [one, two] = await Promise.all([start(channel), start(channel)]);
			const row = webhookRow({ userId: generateId(), on: ['followed'] });
			await one.announce('webhookCreated', row);
			await eventuallyTrue(() => two.match(row.userId, 'followed').length === 1, 'the create on the second registry');
			await two.announce('webhookUpdated', { ...row, on: ['unfollow'] });
			await eventuallyTrue(() => one.match(row.userId, 'unfollow').length === 1, 'the update on the first registry');
			assert.deepEqual(ids(one.match(row.userId, 'followed')), []);
			await one.announce('webhookDeleted', row);
			await eventuallyTrue(() => two.match(row.userId, 'unfollow').length === 0, 'the delete on the second registry');
			assert.equal(one.match(row.userId, 'unfollow').length, 0);
		});

		it('a registry on another channel does not hear the announcements', async () => {
			const channel = newChannel();
			const [speaker, listener] = await Promise.all([start(newChannel()), start(channel)]);
			const userId = generateId();
			await speaker.announce('webhookCreated', webhookRow({ userId, on: ['note'] }));
			// Redis delivers to one subscriber in publish order, so once this later message is heard the earlier one would have been too.
			const probe = webhookRow({ userId, on: ['mention'] });
			await raw.publish(channel, internal('webhookCreated', probe));
			await eventuallyTrue(() => listener.match(userId, 'mention').length === 1, 'the probe on the listener');
			assert.deepEqual(ids(listener.match(userId, 'note')), []);
		});

		it('announce publishes the change exactly as Misskey does', async () => {
			const channel = newChannel();
			const registry = await start(channel);
			const subscriber = raw.duplicate();
			const heard: string[] = [];
			subscriber.on('message', (from: string, message: string) => { if (from === channel) heard.push(message); });
			await subscriber.subscribe(channel);
			try {
				const row = webhookRow({ userId: generateId(), on: ['note', 'reaction'], secret: '' });
				await registry.announce('webhookCreated', row);
				const sentAt = new Date('2025-09-08T01:02:03.004Z');
				await registry.announce('webhookUpdated', { ...row, latestSentAt: sentAt, latestStatus: 1 });
				await eventuallyTrue(() => heard.length === 2, 'two published messages');
				assert.deepEqual(JSON.parse(heard[0]), {
					channel: 'internal',
					message: {
						type: 'webhookCreated',
						body: { id: row.id, userId: row.userId, name: 'hook', on: ['note', 'reaction'], url: 'https://receiver.example/hook', secret: '', active: true, latestSentAt: null, latestStatus: null },
					},
				});
				const updated = JSON.parse(heard[1]);
				assert.equal(updated.message.type, 'webhookUpdated');
				assert.equal(updated.message.body.latestSentAt, '2025-09-08T01:02:03.004Z');
				assert.equal(updated.message.body.latestStatus, 1);
			} finally {
				await subscriber.quit();
			}
		});

		it('a Misskey-shaped message published by someone else is applied, dates revived', async () => {
			const channel = newChannel();
			const registry = await start(channel);
			const userId = generateId();
			const body = { id: '9xyzabcd00', userId, name: 'from misskey', on: ['renote'], url: 'https://c.example/', secret: 's', active: true, latestSentAt: '2025-09-01T00:00:00.000Z', latestStatus: 204 };
			await raw.publish(channel, JSON.stringify({ channel: 'internal', message: { type: 'webhookCreated', body } }));
			await raw.publish(channel, JSON.stringify({ channel: 'broadcast', message: { type: 'webhookDeleted', body } }));
			await raw.publish(channel, JSON.stringify({ channel: 'internal', message: { type: 'userChangeSuspendedState', body: { id: userId } } }));
			await eventuallyTrue(() => registry.match(userId, 'renote').length === 1, 'the raw create');
			const [matched] = registry.match(userId, 'renote');
			assert.equal(matched.name, 'from misskey');
			assert.ok(matched.latestSentAt instanceof Date);
			assert.equal(matched.latestSentAt.getTime(), Date.parse('2025-09-01T00:00:00.000Z'));
			await raw.publish(channel, JSON.stringify({ channel: 'internal', message: { type: 'webhookDeleted', body } }));
			await eventuallyTrue(() => registry.match(userId, 'renote').length === 0, 'the raw delete');
		});

		it('close unsubscribes from the channel, and closing again is harmless', async () => {
			const channel = newChannel();
			const registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel });
			assert.deepEqual(await raw.pubsub('NUMSUB', channel), [channel, 1]);
			await registry.close();
			assert.deepEqual(await raw.pubsub('NUMSUB', channel), [channel, 0]);
			await registry.close();
		});
	});

	describe('sync across processes', () => {
		const CHANGE_SEEN_WITHIN_MS = 100;
		let dataSource: DataSource;
		let store: WebhookStore;
		let registry: WebhookRegistry;
		let child: ChildProcess;
		const reports: Array<{ message: FromChild; receivedAt: number }> = [];
		const channel = `registry-test-${randomUUID()}.example`;
		const owner = generateId();
		let preexisting: WebhookEntity;

		const tell = (message: ToChild) => child.send(message);

		/** Resolves with the time the first report from index `since` on satisfying `matches` arrived. */
		async function waitForReport(matches: (message: FromChild) => boolean, since = 0): Promise<number> {
			let found: { receivedAt: number } | undefined;
			await eventuallyTrue(() => (found = reports.slice(since).find((report) => matches(report.message))) !== undefined, 'a report from the child process', 10_000);
			return found!.receivedAt;
		}

		/** When the child reported that (owner, type) matches exactly `expected`, looking at reports from index `since` on. */
		const reported = (type: UserWebhookEventType, expected: string[], since = 0) =>
			waitForReport((message) => message.kind === 'matched' && message.ownerId === owner && message.type === type && message.ids.join(',') === expected.join(','), since);

		before(async function () {
			this.timeout(30_000);
			dataSource = await createMigratedDataSource();
			store = new WebhookStore(dataSource);
			preexisting = await store.create({ userId: owner, name: 'before', url: 'https://d.example/', secret: '', on: ['mention'] });
			registry = await WebhookRegistry.start({ store, redisUrl: testRedisUrl, channel });
			child = fork(new URL('./support/registry-child.ts', import.meta.url), {
				execArgv: ['--import', 'tsx'],
				env: { ...process.env, REGISTRY_CHILD_CHANNEL: channel, TEST_DATABASE_URL: testDatabaseUrl, TEST_REDIS_URL: testRedisUrl },
			});
			child.on('message', (message: FromChild) => reports.push({ message, receivedAt: performance.now() }));
			await waitForReport((message) => message.kind === 'ready');
			for (const type of ['mention', 'note', 'reply'] as const) tell({ kind: 'watch', ownerId: owner, type });
			await Promise.all([reported('note', []), reported('reply', [])]);
		});

		after(async function () {
			this.timeout(10_000);
			if (child && child.exitCode === null && child.connected) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				const stuck = setTimeout(() => child.kill(), 5000);
				tell({ kind: 'stop' });
				await exited;
				clearTimeout(stuck);
			}
			await registry?.close();
			await dataSource?.destroy();
		});

		it('a second process loads the active webhooks at start', async () => {
			const ready = reports.find((report) => report.message.kind === 'ready')!.message;
			assert.deepEqual(ready, { kind: 'ready', size: 1 });
			await reported('mention', [preexisting.id]);
		});

		it('a second process sees a create, an update and a delete within 100 ms each', async () => {
			const created = await store.create({ userId: owner, name: 'new', url: 'https://e.example/', secret: '', on: ['note'] });
			let since = reports.length;
			await registry.announce('webhookCreated', created);
			let announcedAt = performance.now();
			const createSeenMs = (await reported('note', [created.id], since)) - announcedAt;
			assert.ok(createSeenMs < CHANGE_SEEN_WITHIN_MS, `create seen after ${createSeenMs} ms`);

			const updated = (await store.update(created.id, owner, { on: ['reply'] }))!;
			since = reports.length;
			await registry.announce('webhookUpdated', updated);
			announcedAt = performance.now();
			const updateSeenMs = Math.max(await reported('reply', [created.id], since), await reported('note', [], since)) - announcedAt;
			assert.ok(updateSeenMs < CHANGE_SEEN_WITHIN_MS, `update seen after ${updateSeenMs} ms`);

			const deleted = (await store.delete(created.id, owner))!;
			since = reports.length;
			await registry.announce('webhookDeleted', deleted);
			announcedAt = performance.now();
			const deleteSeenMs = (await reported('reply', [], since)) - announcedAt;
			assert.ok(deleteSeenMs < CHANGE_SEEN_WITHIN_MS, `delete seen after ${deleteSeenMs} ms`);
			assert.deepEqual(ids(registry.match(owner, 'reply')), []);
		});
	});
});
