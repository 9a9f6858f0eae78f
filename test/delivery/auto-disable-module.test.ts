import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../../src/index.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually } from '../support/eventually.js';

/** The window of these tests: long enough to tell "inside" from "after", short enough never to slow the suite. */
const WINDOW_MS = 300;

/** A host that also records what the module told owners about their paused webhooks. */
class NotifiedHost extends PackingHost {
	readonly notifications: Array<{ userId: string; webhook: { id: string; name: string; url: string }; reason: string }> = [];

	async notifyWebhookDisabled(userId: string, webhook: { id: string; name: string; url: string }, reason: string): Promise<void> {
		this.notifications.push({ userId, webhook, reason });
	}
}

describe('auto-disable and 410 Gone through the whole module', () => {
	let dataSource: DataSource;
	let store: WebhookStore;
	let systemStore: SystemWebhookStore;
	let receiver: TestReceiver;
	let host: NotifiedHost;
	let webhooks: WebhookModule;
	/** Another process's registry on the same channel. */
	let otherRegistry: WebhookRegistry;
	let serverUrl: string;
	let queuePrefix: string;
	const schemas = createSchemaValidator();

	let failing: WebhookEntity;
	let gone: WebhookEntity;
	let moderatorFeed: SystemWebhookEntity;
	let goneSystem: SystemWebhookEntity;
	let failingSystem: SystemWebhookEntity;

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
		systemStore = new SystemWebhookStore(dataSource);
		receiver = await new TestReceiver().start();
		receiver.replyAlways((request) => {
			if (request.path === '/failing' || request.path === '/failing-system') return { status: 503 };
			if (request.path === '/gone' || request.path === '/gone-system') return { status: 410 };
			return { status: 204 };
		});
		host = new NotifiedHost();
		for (const id of ['alice', 'bob', 'carol']) host.addUser(id);
		// Rows made before the module starts, so every registry loads them.
		failing = await store.create({ userId: 'alice', name: 'always 503', url: receiver.url('/failing'), secret: 'alice-secret', on: ['follow'] });
		gone = await store.create({ userId: 'bob', name: 'gone away', url: receiver.url('/gone'), secret: 'bob-secret', on: ['follow'] });
		moderatorFeed = await systemStore.create({ isActive: true, name: 'moderators', on: ['userWebhookDisabled'], url: receiver.url('/moderators'), secret: 'feed-secret' });
		goneSystem = await systemStore.create({ isActive: true, name: 'gone system', on: ['userCreated'], url: receiver.url('/gone-system'), secret: '' });
		failingSystem = await systemStore.create({ isActive: true, name: 'failing system', on: ['inactiveModeratorsInvitationOnlyChanged'], url: receiver.url('/failing-system'), secret: '' });

		const suffix = randomBytes(6).toString('hex');
		serverUrl = `https://auto-disable-${suffix}.test`;
		queuePrefix = `mw-test-auto-disable-${suffix}`;
		webhooks = await createWebhookModule({
			dataSource,
			host,
			serverUrl,
			redisUrl: testRedisUrl,
			queuePrefix,
			retryDelaysMs: [10, 10],
			requestTimeoutMs: 1000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
			autoDisableAfterMs: WINDOW_MS,
		});
		await webhooks.startWorkers();
		otherRegistry = await WebhookRegistry.start({ store, systemStore, redisUrl: testRedisUrl, channel: new URL(serverUrl).host });
	});

	after(async () => {
		await webhooks?.close();
		await otherRegistry?.close();
		await receiver?.close();
		await dataSource?.destroy();
		const redis = new Redis(testRedisUrl);
		try {
			const keys = await redis.keys(`${queuePrefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	});

	const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);
	const follow = (followerId: string) => webhooks.events.followCreated({ follower: { id: followerId, host: null }, followee: { id: 'carol', host: null } });
	const row = (id: string) => store.repository.findOneByOrFail({ id });
	const systemRow = (id: string) => systemStore.repository.findOneByOrFail({ id });

	it('a delivery that exhausts its retries inside the window starts the streak but pauses nothing', async () => {
		await follow('alice');
		await receiver.waitForRequests(3, 5000, '/failing');
		const after = await eventually(() => row(failing.id), (found) => found.failingSince !== null, 5000, 'the streak');
		assert.equal(after.active, true);
		assert.equal(after.pausedBy, null);
		assert.equal((await receiver.settle(100)).filter((request) => request.path === '/failing').length, 3, 'three attempts, then no more');
		assert.deepEqual(host.notifications, []);
	});

	it('once the window has passed, the next exhausted delivery pauses the webhook, announces it and tells owner and moderators once', async () => {
		const streak = (await row(failing.id)).failingSince!;
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, streak.getTime() + WINDOW_MS + 10 - Date.now())));
		await follow('alice');
		const paused = await eventually(() => row(failing.id), (found) => !found.active, 5000, 'the pause');
		const reason = 'Every delivery failed for 300 milliseconds; the last one exhausted its retries (503 Service Unavailable).';
		assert.deepEqual([paused.pausedBy, paused.pausedReason, paused.pausedByUserId], ['auto', reason, null]);
		assert.ok(paused.pausedAt);
		assert.equal(requestsTo('/failing').length, 6);

		// Another process stops matching it: an event raised there reaches no receiver.
		await eventually(async () => otherRegistry.match('alice', 'follow'), (matched) => matched.length === 0, 5000, 'the other registry to drop it');
		await follow('alice');
		assert.equal((await receiver.settle(150)).filter((request) => request.path === '/failing').length, 6);

		assert.deepEqual(host.notifications, [{ userId: 'alice', webhook: { id: failing.id, name: 'always 503', url: receiver.url('/failing') }, reason }]);

		const [announcement] = await receiver.waitForRequests(1, 5000, '/moderators');
		schemas.assert('SystemWebhookEnvelope', announcement.json);
		assert.equal(announcement.json.type, 'userWebhookDisabled');
		assert.equal(announcement.json.hookId, moderatorFeed.id);
		schemas.assert('UserWebhookDisabledWebhookBody', announcement.json.body);
		assert.deepEqual(announcement.json.body, {
			// The owner is told the whole URL; the moderators' event shows only its scheme and host.
			webhook: { id: failing.id, userId: 'alice', name: 'always 503', url: `${new URL(receiver.url('/failing')).origin}/(redacted)` },
			user: await host.packUserLite('alice'),
			reason,
			pausedBy: 'auto',
		});
		assert.equal(announcement.headers['x-misskey-hook-secret'], 'feed-secret');
		assert.ok(!announcement.rawBody.includes('alice-secret'), 'the paused webhook\'s secret is never sent');
		assert.ok(!announcement.rawBody.includes('/failing'), 'nor the path of its URL');
	});

	it('410 Gone pauses a user webhook after one request, with no retry, as `gone`', async () => {
		await follow('bob');
		const paused = await eventually(() => row(gone.id), (found) => !found.active, 5000, 'the pause');
		assert.deepEqual([paused.pausedBy, paused.pausedReason], ['gone', 'The receiver answered 410 Gone: the endpoint says it is gone for good, so no more deliveries are sent.']);
		assert.equal((await receiver.settle(150)).filter((request) => request.path === '/gone').length, 1);
		assert.deepEqual(host.notifications.filter((n) => n.userId === 'bob').map((n) => n.webhook.id), [gone.id]);
		const announcements = await receiver.waitForRequests(2, 5000, '/moderators');
		assert.deepEqual(announcements.map((request) => [request.json.body.webhook.id, request.json.body.pausedBy]), [[failing.id, 'auto'], [gone.id, 'gone']]);
	});

	it('410 Gone sets a system webhook inactive after one request, announced to every process', async () => {
		await webhooks.events.userCreated({ id: 'carol' });
		const paused = await eventually(() => systemRow(goneSystem.id), (found) => !found.isActive, 5000, 'the pause');
		assert.equal(paused.pausedBy, 'gone');
		assert.equal((await receiver.settle(150)).filter((request) => request.path === '/gone-system').length, 1);
		await eventually(async () => otherRegistry.matchSystem('userCreated'), (matched) => matched.length === 0, 5000, 'the other registry to drop it');
		assert.equal(host.notifications.length, 2, 'system webhooks have no owner to tell');
	});

	it('a system webhook failing for the window is set inactive by its next exhausted delivery', async () => {
		await webhooks.events.inactiveModeratorsInvitationOnlyChanged();
		const started = await eventually(() => systemRow(failingSystem.id), (found) => found.failingSince !== null, 5000, 'the streak');
		assert.equal((await eventually(() => systemRow(failingSystem.id), () => requestsTo('/failing-system').length === 3, 5000, 'three attempts')).isActive, true);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, started.failingSince!.getTime() + WINDOW_MS + 10 - Date.now())));
		await webhooks.events.inactiveModeratorsInvitationOnlyChanged();
		const paused = await eventually(() => systemRow(failingSystem.id), (found) => !found.isActive, 5000, 'the pause');
		assert.deepEqual([paused.pausedBy, paused.pausedReason], ['auto', 'Every delivery failed for 300 milliseconds; the last one exhausted its retries (503 Service Unavailable).']);
	});
});
