import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../../src/index.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { PackingHost } from '../support/packing-host.js';
import { TestReceiver } from '../support/receiver.js';
import { buildMisskeyDatabase, misskeyRows, openHostDataSource } from './misskey-database.js';

describe('delivering through webhooks Misskey made, after adoption', function () {
	this.timeout(60_000);
	let dataSource: DataSource;
	let receiver: TestReceiver;
	let webhooks: WebhookModule;
	let queuePrefix: string;
	const [followHook, pausedHook] = misskeyRows.webhooks;
	const [systemHook] = misskeyRows.systemWebhooks;

	before(async () => {
		receiver = await new TestReceiver().start();
		await buildMisskeyDatabase({ receiverUrl: receiver.url('/misskey') });
		dataSource = await openHostDataSource();
		await dataSource.runMigrations();
		const host = new PackingHost();
		for (const id of [...misskeyRows.users, 'someone']) host.addUser(id);
		const suffix = randomBytes(6).toString('hex');
		queuePrefix = `mw-test-adoption-${suffix}`;
		webhooks = await createWebhookModule({
			dataSource,
			host,
			serverUrl: `https://adoption-${suffix}.test`,
			redisUrl: testRedisUrl,
			queuePrefix,
			retryDelaysMs: [10],
			requestTimeoutMs: 2000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
		});
		await webhooks.startWorkers();
	});

	after(async () => {
		await webhooks?.close();
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

	it('an existing user webhook is delivered to with its old secret in X-Misskey-Hook-Secret', async () => {
		await webhooks.events.followCreated({ follower: { id: followHook.userId, host: null }, followee: { id: 'someone', host: null } });
		const [request] = await receiver.waitForRequests(1, 10_000);
		assert.equal(request.headers['x-misskey-hook-secret'], followHook.secret);
		assert.equal(request.json.hookId, followHook.id);
		assert.equal(request.json.userId, followHook.userId);
		assert.equal(request.json.type, 'follow');
		// The module records the outcome in Misskey's own columns, as Misskey does (written in batches, so wait for it).
		const deadline = Date.now() + 10_000;
		let row: { latestStatus: number | null; latestSentAt: Date | null };
		do {
			[row] = await dataSource.query(`SELECT "latestStatus", "latestSentAt" FROM "webhook" WHERE "id" = $1`, [followHook.id]);
			if (row.latestStatus === 200) break;
			await new Promise((resolve) => setTimeout(resolve, 20));
		} while (Date.now() < deadline);
		assert.equal(row.latestStatus, 200);
		assert.ok(row.latestSentAt && row.latestSentAt.getTime() > Date.parse('2025-09-02T00:00:00Z'));
	});

	it('an existing system webhook is delivered to with its old secret', async () => {
		receiver.clear();
		await webhooks.events.userCreated({ id: 'someone' });
		const [request] = await receiver.waitForRequests(1, 10_000);
		assert.equal(request.json.type, 'userCreated');
		assert.equal(request.json.hookId, systemHook.id);
		assert.equal(request.headers['x-misskey-hook-secret'], systemHook.secret);
	});

	it('a webhook Misskey had deactivated stays silent', async () => {
		receiver.clear();
		// It listens to `follow` too, so only its `active = false` keeps it from this event.
		await webhooks.events.followCreated({ follower: { id: pausedHook.userId, host: null }, followee: { id: 'someone', host: null } });
		assert.deepEqual(await receiver.settle(300), []);
	});
});
