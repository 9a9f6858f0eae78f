import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { InMemorySyncChannel } from '../../src/registry/in-memory-sync.js';
import { decodeInternalMessage } from '../../src/registry/internal-event.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import type { SystemWebhookEventType } from '../../src/events/catalogue.js';
import { createMigratedDataSource } from '../support/database.js';
import { testRedisUrl } from '../support/env.js';
import { webhookRow } from '../support/registry-fixtures.js';
import { systemWebhookRow } from '../support/system-webhook-fixtures.js';
import { eventuallyTrue } from '../support/eventually.js';

/** A message as Misskey's `publishInternalEvent` would put it on the channel. */
function internal(type: string, body: unknown, channel = 'internal'): string {
	return JSON.stringify({ channel, message: { type, body } });
}

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

describe('WebhookRegistry: system webhooks', () => {
	describe('index rules (in-memory sync)', () => {
		const x = systemWebhookRow({ id: 'x', on: ['abuseReport', 'userCreated'] });
		const y = systemWebhookRow({ id: 'y', on: ['abuseReport'] });

		interface RuleCase {
			behaviour: string;
			loaded: SystemWebhookEntity[];
			published: string[];
			expected: Array<[type: SystemWebhookEventType, ids: string[]]>;
		}

		const cases: RuleCase[] = [
			{
				behaviour: 'a created active system webhook is matched for every type in its on',
				loaded: [],
				published: [internal('systemWebhookCreated', x)],
				expected: [['abuseReport', ['x']], ['userCreated', ['x']], ['abuseReportResolved', []]],
			},
			{
				behaviour: 'a created inactive system webhook is ignored',
				loaded: [],
				published: [internal('systemWebhookCreated', { ...x, isActive: false })],
				expected: [['abuseReport', []]],
			},
			{
				behaviour: 'inactive system webhooks loaded at start are not indexed',
				loaded: [{ ...x, isActive: false }, y],
				published: [],
				expected: [['abuseReport', ['y']], ['userCreated', []]],
			},
			{
				behaviour: 'an update to inactive removes the system webhook',
				loaded: [x],
				published: [internal('systemWebhookUpdated', { ...x, isActive: false })],
				expected: [['abuseReport', []], ['userCreated', []]],
			},
			{
				behaviour: 'an update to active of a system webhook not indexed adds it',
				loaded: [],
				published: [internal('systemWebhookUpdated', y)],
				expected: [['abuseReport', ['y']]],
			},
			{
				behaviour: 'an update changing on moves the system webhook between types, keeping its place',
				loaded: [x, y],
				published: [internal('systemWebhookUpdated', { ...x, on: ['abuseReport', 'inactiveModeratorsWarning'] })],
				expected: [['abuseReport', ['x', 'y']], ['userCreated', []], ['inactiveModeratorsWarning', ['x']]],
			},
			{
				behaviour: 'a delete removes the system webhook by id from every type',
				loaded: [x, y],
				published: [internal('systemWebhookDeleted', { ...x, on: [] })],
				expected: [['abuseReport', ['y']], ['userCreated', []]],
			},
			{
				behaviour: 'a system webhook event on another channel is ignored',
				loaded: [],
				published: [internal('systemWebhookCreated', x, 'broadcast')],
				expected: [['abuseReport', []]],
			},
			{
				behaviour: 'a system webhook event whose body lacks isActive is ignored',
				loaded: [],
				published: [internal('systemWebhookCreated', { ...x, isActive: undefined })],
				expected: [['abuseReport', []]],
			},
			{
				behaviour: 'a user webhook event never touches the system index',
				loaded: [y],
				published: [internal('webhookDeleted', { ...webhookRow({ id: 'y' }) }), internal('webhookCreated', webhookRow({ id: 'z', on: ['note'] }))],
				expected: [['abuseReport', ['y']]],
			},
		];

		for (const rule of cases) {
			it(rule.behaviour, async () => {
				const channel = new InMemorySyncChannel();
				const registry = await WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => [], loadActiveSystem: async () => rule.loaded });
				for (const message of rule.published) channel.publish(message);
				for (const [type, expected] of rule.expected) assert.deepEqual(ids(registry.matchSystem(type)), expected, type);
				await registry.close();
			});
		}

		it('a system webhook event never touches the user index', async () => {
			const channel = new InMemorySyncChannel();
			const userHook = webhookRow({ id: 'u1', userId: 'alice', on: ['note'] });
			const registry = await WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => [userHook] });
			channel.publish(internal('systemWebhookDeleted', systemWebhookRow({ id: 'u1' })));
			assert.deepEqual(ids(registry.match('alice', 'note')), ['u1']);
			assert.equal(registry.systemSize, 0);
			await registry.close();
		});

		it('matchSystem leaves out the excluded ids, and a miss is a shared frozen empty list', async () => {
			const registry = await WebhookRegistry.startWithSync({ sync: new InMemorySyncChannel().connect(), loadActive: async () => [], loadActiveSystem: async () => [x, y] });
			assert.deepEqual(ids(registry.matchSystem('abuseReport', new Set(['x']))), ['y']);
			assert.deepEqual(ids(registry.matchSystem('abuseReport', new Set())), ['x', 'y']);
			const miss = registry.matchSystem('inactiveModeratorsInvitationOnlyChanged');
			assert.ok(Object.isFrozen(miss));
			assert.equal(registry.matchSystem('abuseReportResolved'), miss);
			await registry.close();
		});

		it('a system change published while the initial load runs is applied after it', async () => {
			const channel = new InMemorySyncChannel();
			let finishLoad!: (rows: SystemWebhookEntity[]) => void;
			const starting = WebhookRegistry.startWithSync({
				sync: channel.connect(),
				loadActive: async () => [],
				loadActiveSystem: () => new Promise((resolve) => { finishLoad = resolve; }),
			});
			channel.publish(internal('systemWebhookDeleted', x));
			finishLoad([x, y]);
			const registry = await starting;
			assert.deepEqual(ids(registry.matchSystem('abuseReport')), ['y']);
			await registry.close();
		});

		it('announceSystem applies the change here and reaches the other registries on the channel', async () => {
			const channel = new InMemorySyncChannel();
			const [one, two] = await Promise.all([1, 2].map(() => WebhookRegistry.startWithSync({ sync: channel.connect(), loadActive: async () => [] })));
			await one.announceSystem('systemWebhookCreated', x);
			assert.deepEqual(ids(one.matchSystem('userCreated')), ['x']);
			assert.deepEqual(ids(two.matchSystem('userCreated')), ['x']);
			await two.announceSystem('systemWebhookUpdated', { ...x, isActive: false });
			assert.deepEqual(ids(one.matchSystem('userCreated')), []);
			await Promise.all([one.close(), two.close()]);
		});

		it("received updatedAt and latestSentAt are revived to Dates (Misskey's MiSystemWebhook.deserialize)", () => {
			const decoded = decodeInternalMessage(internal('systemWebhookUpdated', { ...x, updatedAt: '2025-09-08T01:02:03.004Z', latestSentAt: '2025-09-09T00:00:00.000Z', latestStatus: 500 }));
			assert.equal(decoded.kind, 'system-webhook-change');
			if (decoded.kind !== 'system-webhook-change') return;
			assert.ok(decoded.event.row.updatedAt instanceof Date);
			assert.equal(decoded.event.row.updatedAt.toISOString(), '2025-09-08T01:02:03.004Z');
			assert.ok(decoded.event.row.latestSentAt instanceof Date);
			assert.equal(decoded.event.row.latestSentAt.toISOString(), '2025-09-09T00:00:00.000Z');
			assert.equal(decoded.event.row.latestStatus, 500);
		});
	});

	describe('sync over Redis', () => {
		let dataSource: DataSource;
		let systemStore: SystemWebhookStore;
		let store: WebhookStore;
		let raw: Redis;
		const registries: WebhookRegistry[] = [];
		const start = async (channel: string) => {
			const registry = await WebhookRegistry.start({ store, systemStore, redisUrl: testRedisUrl, channel });
			registries.push(registry);
			return registry;
		};
		const newChannel = () => `system-registry-test-${randomUUID()}.example`;

		before(async () => {
			dataSource = await createMigratedDataSource();
			store = new WebhookStore(dataSource);
			systemStore = new SystemWebhookStore(dataSource);
			raw = new Redis(testRedisUrl);
		});
		after(async () => {
			await Promise.all(registries.map((registry) => registry.close()));
			raw.disconnect();
			await dataSource.destroy();
		});

		it('start loads only the active system webhooks from the system store', async () => {
			const active = await systemStore.create({ isActive: true, name: 'on', on: ['userCreated'], url: 'https://a.example/', secret: '' });
			await systemStore.create({ isActive: false, name: 'off', on: ['userCreated'], url: 'https://b.example/', secret: '' });
			const registry = await start(newChannel());
			assert.deepEqual(ids(registry.matchSystem('userCreated')), [active.id]);
			assert.equal(registry.systemSize, 1);
		});

		it("two registries on one channel see each other's system announcements", async () => {
			const channel = newChannel();
			const [one, two] = await Promise.all([start(channel), start(channel)]);
			const row = systemWebhookRow({ on: ['inactiveModeratorsWarning'] });
			await one.announceSystem('systemWebhookCreated', row);
			await eventuallyTrue(() => ids(two.matchSystem('inactiveModeratorsWarning')).includes(row.id), 'the create on the second registry');
			await two.announceSystem('systemWebhookUpdated', { ...row, on: ['abuseReportResolved'] });
			await eventuallyTrue(() => ids(one.matchSystem('abuseReportResolved')).includes(row.id), 'the update on the first registry');
			assert.ok(!ids(one.matchSystem('inactiveModeratorsWarning')).includes(row.id));
			await one.announceSystem('systemWebhookDeleted', row);
			await eventuallyTrue(() => !ids(two.matchSystem('abuseReportResolved')).includes(row.id), 'the delete on the second registry');
		});

		it('announceSystem publishes exactly what Misskey publishes: the row as JSON under systemWebhookCreated', async () => {
			const channel = newChannel();
			const registry = await start(channel);
			const subscriber = raw.duplicate();
			const heard: string[] = [];
			subscriber.on('message', (from: string, message: string) => { if (from === channel) heard.push(message); });
			await subscriber.subscribe(channel);
			try {
				const row = systemWebhookRow({ id: 'sys1', on: ['abuseReport'], secret: '' });
				await registry.announceSystem('systemWebhookCreated', row);
				await eventuallyTrue(() => heard.length === 1, 'the published message');
				assert.deepEqual(JSON.parse(heard[0]), {
					channel: 'internal',
					message: {
						type: 'systemWebhookCreated',
						body: {
							id: 'sys1', isActive: true, updatedAt: '2025-09-08T00:00:00.000Z', latestSentAt: null, latestStatus: null,
							name: 'system hook', on: ['abuseReport'], url: 'https://receiver.example/system', secret: '',
						},
					},
				});
			} finally {
				await subscriber.quit();
			}
		});

		it('a Misskey-shaped systemWebhookCreated published by someone else is applied', async () => {
			const channel = newChannel();
			const registry = await start(channel);
			const body = { id: '9sysabcd00', isActive: true, updatedAt: '2025-09-01T00:00:00.000Z', latestSentAt: null, latestStatus: null, name: 'from misskey', on: ['userCreated'], url: 'https://c.example/', secret: 's' };
			await raw.publish(channel, internal('systemWebhookCreated', body));
			await eventuallyTrue(() => ids(registry.matchSystem('userCreated')).includes(body.id), 'the raw create');
			const matched = registry.matchSystem('userCreated').find((row) => row.id === body.id)!;
			assert.equal(matched.name, 'from misskey');
			assert.equal(matched.updatedAt.getTime(), Date.parse(body.updatedAt));
		});
	});
});
