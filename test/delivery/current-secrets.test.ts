import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions, type NormalizedOptions } from '../../src/config/options.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { InMemorySyncChannel } from '../../src/registry/in-memory-sync.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { rotateSecret } from '../../src/signing/secret-rotation.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { CapturingLogger, sampleBody } from './fixture.js';

// Long enough for a test to rotate the secret between the first attempt and its retry.
const RETRY_DELAY_MS = 400;
// A grace period over by the time the retry is made.
const TINY_GRACE_MS = 1;

describe('retries sign with the secrets in force at send time', () => {
	let dataSource: DataSource;
	let store: WebhookStore;
	let registry: WebhookRegistry;
	let receiver: TestReceiver;
	let options: NormalizedOptions;
	let delivery: UserWebhookDelivery;

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
		const systemStore = new SystemWebhookStore(dataSource);
		registry = await WebhookRegistry.startWithSync({
			sync: new InMemorySyncChannel().connect(),
			loadActive: () => store.listActive(),
			loadActiveSystem: () => systemStore.listActive(),
		});
		receiver = await new TestReceiver().start();
		options = normalizeOptions({
			serverUrl: 'https://misskey.example',
			redisUrl: testRedisUrl,
			queuePrefix: `mw-test-current-secrets-${randomUUID()}`,
			retryDelaysMs: [RETRY_DELAY_MS],
			requestTimeoutMs: 1000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
		});
		delivery = new UserWebhookDelivery({ dataSource, options, currentSecrets: registry, logger: new CapturingLogger() });
		await delivery.startWorker();
	});

	afterEach(() => receiver.clear());

	after(async () => {
		await delivery?.close();
		const redis = new Redis(testRedisUrl);
		try {
			const keys = await redis.keys(`${options.queuePrefix}:*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
		await registry?.close();
		await receiver?.close();
		await dataSource?.destroy();
	});

	async function hook(secret: string): Promise<WebhookEntity> {
		return store.create({ userId: `user${randomUUID().slice(0, 8)}`, name: 'rotating', url: receiver.url(`/${randomUUID()}`), secret, on: ['note'] });
	}

	/** Changes the stored secret with a grace period already over at the retry, as `i/webhooks/update` would. */
	async function rotate(row: WebhookEntity, newSecret: string): Promise<WebhookEntity> {
		const updated = await store.update(row.id, row.userId, rotateSecret(row, newSecret, new Date(), TINY_GRACE_MS));
		assert.ok(updated);
		return updated;
	}

	it('a retry after the rotation\'s grace period verifies with the new secret, which the clear header carries too', async () => {
		const oldSecret = newWhsecSecret();
		const newSecret = newWhsecSecret();
		const webhook = await hook(oldSecret);
		await registry.announce('webhookCreated', webhook);
		const path = new URL(webhook.url).pathname;
		receiver.replyNext({ status: 503 });
		await delivery.enqueue([webhook], 'note', sampleBody);
		const [first] = await receiver.waitForRequests(1, 5000, path);
		assert.equal(verifies(oldSecret, first!), true);
		await registry.announce('webhookUpdated', await rotate(webhook, newSecret));
		const [, retry] = await receiver.waitForRequests(2, 5000, path);
		assert.equal(verifies(newSecret, retry!), true, 'the receiver that switched to the new secret accepts the retry');
		assert.equal(verifies(oldSecret, retry!), false, 'the expired secret no longer signs');
		assert.equal(retry!.headers['x-misskey-hook-secret'], newSecret);
		assert.equal(retry!.headers['webhook-id'], first!.headers['webhook-id'], 'still the same delivery');
	});

	it('within the grace period the retry carries both signatures, so either secret verifies it', async () => {
		const oldSecret = newWhsecSecret();
		const newSecret = newWhsecSecret();
		const webhook = await hook(oldSecret);
		await registry.announce('webhookCreated', webhook);
		const path = new URL(webhook.url).pathname;
		receiver.replyNext({ status: 503 });
		await delivery.enqueue([webhook], 'note', sampleBody);
		await receiver.waitForRequests(1, 5000, path);
		const rotated = await store.update(webhook.id, webhook.userId, rotateSecret(webhook, newSecret, new Date(), 60_000));
		await registry.announce('webhookUpdated', rotated!);
		const [, retry] = await receiver.waitForRequests(2, 5000, path);
		assert.equal(verifies(newSecret, retry!), true);
		assert.equal(verifies(oldSecret, retry!), true);
		assert.equal(String(retry!.headers['webhook-signature']).split(' ').length, 2);
	});

	it('a webhook the registry does not know keeps signing with the secret copied at enqueue', async () => {
		const oldSecret = newWhsecSecret();
		const newSecret = newWhsecSecret();
		// Never announced: this worker's registry has not heard of it.
		const webhook = await hook(oldSecret);
		const path = new URL(webhook.url).pathname;
		receiver.replyNext({ status: 503 });
		await delivery.enqueue([webhook], 'note', sampleBody);
		await receiver.waitForRequests(1, 5000, path);
		await rotate(webhook, newSecret);
		const [, retry] = await receiver.waitForRequests(2, 5000, path);
		assert.equal(verifies(oldSecret, retry!), true);
		assert.equal(verifies(newSecret, retry!), false);
		assert.equal(retry!.headers['x-misskey-hook-secret'], oldSecret);
	});

	it('a test send\'s override secret signs its one attempt alone, though the registry knows another', async () => {
		const webhookSecret = newWhsecSecret();
		const overrideSecret = newWhsecSecret();
		const webhook = await hook(webhookSecret);
		await registry.announce('webhookCreated', webhook);
		await delivery.enqueue([webhook], 'note', sampleBody, { attempts: 1, secret: overrideSecret });
		const [request] = await receiver.waitForRequests(1, 5000, new URL(webhook.url).pathname);
		assert.equal(verifies(overrideSecret, request!), true);
		assert.equal(verifies(webhookSecret, request!), false);
		assert.equal(request!.headers['x-misskey-hook-secret'], overrideSecret);
	});
});

describe('the registry as the sender\'s lookup of current secrets', () => {
	const expiresAt = new Date('2030-01-01T00:00:00.000Z');
	const userRow = { id: 'user-hook', userId: 'owner', active: true, on: ['note'], secret: 'user-now', previousSecret: 'user-before', previousSecretExpiresAt: expiresAt } as unknown as WebhookEntity;
	const systemRow = { id: 'system-hook', isActive: true, on: ['abuseReport'], secret: 'system-now', previousSecret: null, previousSecretExpiresAt: null } as unknown as SystemWebhookEntity;
	let registry: WebhookRegistry;

	before(async () => {
		registry = await WebhookRegistry.startWithSync({ sync: new InMemorySyncChannel().connect(), loadActive: async () => [userRow], loadActiveSystem: async () => [systemRow] });
	});
	after(() => registry.close());

	it('answers an active webhook\'s secrets by kind and id, and nothing for the other kind\'s ids', () => {
		assert.deepEqual(registry.currentSecretsOf('user', 'user-hook'), { secret: 'user-now', previousSecret: 'user-before', previousSecretExpiresAt: expiresAt });
		assert.deepEqual(registry.currentSecretsOf('system', 'system-hook'), { secret: 'system-now', previousSecret: null, previousSecretExpiresAt: null });
		assert.equal(registry.currentSecretsOf('user', 'system-hook'), undefined);
		assert.equal(registry.currentSecretsOf('system', 'user-hook'), undefined);
	});

	it('forgets a webhook once it is paused, so its jobs fall back to their own copy', async () => {
		await registry.announceSystem('systemWebhookUpdated', { ...systemRow, isActive: false } as SystemWebhookEntity);
		assert.equal(registry.currentSecretsOf('system', 'system-hook'), undefined);
	});
});
