import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { normalizeOptions } from '../../src/config/options.js';
import { SystemWebhookDelivery } from '../../src/delivery/system-webhook-delivery.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import type { NewWebhook } from '../../src/store/webhook-store.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { verifyWebhookRequest } from '../../src/receiver/index.js';
import { dummyUserWebhookBody } from '../../src/api/packing/dummies.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { newWhsecSecret, plainSecret } from '../signing/fixture.js';
import { DeliveryFixture, sampleBody, uuidV4, waitUntilIdle } from './fixture.js';

describe('signatures on real deliveries', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});

	afterEach(() => receiver.clear());

	after(async () => {
		await receiver?.close();
		await fixture?.close();
	});

	/** A user webhook to the receiver, under a path of its own. */
	function hook(secret: string, overrides: Partial<NewWebhook> = {}): Promise<WebhookEntity> {
		return fixture.store.create({ userId: `user${randomUUID().slice(0, 8)}`, name: 'signed', url: receiver.url(`/${randomUUID()}`), secret, on: ['note'], ...overrides });
	}

	async function deliverOnce(webhook: WebhookEntity): Promise<ReceivedRequest> {
		const delivery = await fixture.delivery();
		await delivery.enqueue([webhook], 'note', sampleBody);
		const [request] = await receiver.waitForRequests(1, 5000, new URL(webhook.url).pathname);
		return request!;
	}

	it('a whsec_ secret: the standardwebhooks package verifies the delivery, whose webhook-id is the envelope\'s eventId', async () => {
		const secret = newWhsecSecret();
		const request = await deliverOnce(await hook(secret));
		assert.equal(verifies(secret, request), true);
		assert.match(String(request.headers['webhook-id']), uuidV4);
		assert.equal(request.headers['webhook-id'], request.json.eventId);
		assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+={0,2}$/);
		assert.ok(Math.abs(Number(request.headers['webhook-timestamp']) - request.receivedAt / 1000) < 2, 'the timestamp is the attempt\'s, in seconds');
		assert.equal(verifies(newWhsecSecret(), request), false, 'another secret does not verify it');
	});

	it('a plain secret signs with its UTF-8 bytes: standardwebhooks verifies it as a raw key', async () => {
		// Not sent in clear: a header value cannot carry these characters, so only the signature can.
		const request = await deliverOnce(await hook(plainSecret, { sendSecretHeader: false }));
		assert.equal(verifies(plainSecret, request), true);
		assert.equal(verifies('another plain secret', request), false);
	});

	it('our receiver helper accepts the delivery by its signature', async () => {
		const secret = newWhsecSecret();
		const webhook = await hook(secret);
		const delivery = await fixture.delivery();
		// A body the receiver's schema check accepts: Misskey's dummy note.
		await delivery.enqueue([webhook], 'note', dummyUserWebhookBody('note', new Date()));
		const [request] = await receiver.waitForRequests(1, 5000, new URL(webhook.url).pathname);
		const verdict = verifyWebhookRequest({ headers: request!.headers, rawBody: request!.rawBody, secret });
		assert.deepEqual(verdict.ok && { via: verdict.via, type: verdict.payload.type }, { via: 'signature', type: 'note' });
	});

	it('a retry keeps the webhook-id, carries its own timestamp, and still verifies', async () => {
		const secret = newWhsecSecret();
		const webhook = await hook(secret);
		const path = new URL(webhook.url).pathname;
		receiver.replyNext({ status: 503 });
		// A wait past one second, so the retry's whole-second timestamp must differ from the first attempt's.
		const delivery = await fixture.delivery({ retryDelaysMs: [1100] });
		await delivery.enqueue([webhook], 'note', sampleBody);
		const [first, retry] = await receiver.waitForRequests(2, 5000, path);
		assert.equal(retry!.headers['webhook-id'], first!.headers['webhook-id']);
		assert.equal(retry!.rawBody, first!.rawBody, 'the same bytes are sent again');
		assert.ok(Number(retry!.headers['webhook-timestamp']) > Number(first!.headers['webhook-timestamp']));
		assert.notEqual(retry!.headers['webhook-signature'], first!.headers['webhook-signature']);
		assert.equal(verifies(secret, first!), true);
		assert.equal(verifies(secret, retry!), true);
	});

	it('sends X-Misskey-Hook-Secret by default, beside the signature (Misskey receivers keep working)', async () => {
		const request = await deliverOnce(await hook('plain-and-clear'));
		assert.equal(request.headers['x-misskey-hook-secret'], 'plain-and-clear');
		assert.equal(verifies('plain-and-clear', request), true);
	});

	it('leaves X-Misskey-Hook-Secret out when the webhook says sendSecretHeader: false; the signature still verifies', async () => {
		const secret = newWhsecSecret();
		const request = await deliverOnce(await hook(secret, { sendSecretHeader: false }));
		assert.equal(request.headers['x-misskey-hook-secret'], undefined);
		assert.equal(JSON.stringify(request.headers).includes(secret), false, 'the secret appears in no header');
		assert.equal(verifies(secret, request), true);
	});

	it('an empty secret: webhook-id and webhook-timestamp are sent, no webhook-signature, the empty clear header as Misskey', async () => {
		const request = await deliverOnce(await hook(''));
		assert.equal(request.headers['webhook-id'], request.json.eventId);
		assert.match(String(request.headers['webhook-timestamp']), /^\d+$/);
		assert.equal(request.headers['webhook-signature'], undefined);
		assert.equal(request.headers['x-misskey-hook-secret'], '');
	});

	it('a job shaped exactly as Misskey\'s (no extras) sends the clear secret header and a signature', async () => {
		const webhook = await hook('misskey-job-secret');
		const delivery = await fixture.delivery();
		await delivery.queue.add(webhook.id, {
			type: 'note', content: sampleBody, webhookId: webhook.id, userId: webhook.userId, to: webhook.url,
			secret: 'misskey-job-secret', createdAt: Date.now(), eventId: randomUUID(),
		});
		const [request] = await receiver.waitForRequests(1, 5000, new URL(webhook.url).pathname);
		assert.equal(request!.headers['x-misskey-hook-secret'], 'misskey-job-secret');
		assert.equal(verifies('misskey-job-secret', request!), true);
	});

	describe('during a secret rotation', () => {
		it('carries both signatures: standardwebhooks verifies with the new secret alone and with the old one alone', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const webhook = await hook(newSecret);
			await fixture.store.repository.update({ id: webhook.id }, { previousSecret: oldSecret, previousSecretExpiresAt: new Date(Date.now() + 60_000) });
			const request = await deliverOnce(await fixture.row(webhook.id));
			assert.equal(String(request.headers['webhook-signature']).split(' ').length, 2);
			assert.equal(verifies(newSecret, request), true);
			assert.equal(verifies(oldSecret, request), true);
		});

		it('after the grace period only the new secret signs', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const webhook = await hook(newSecret);
			await fixture.store.repository.update({ id: webhook.id }, { previousSecret: oldSecret, previousSecretExpiresAt: new Date(Date.now() - 1) });
			const request = await deliverOnce(await fixture.row(webhook.id));
			assert.equal(String(request.headers['webhook-signature']).split(' ').length, 1);
			assert.equal(verifies(newSecret, request), true);
			assert.equal(verifies(oldSecret, request), false);
		});

		it('a test send with another secret signs with that secret alone, never the rotated-out one', async () => {
			const [oldSecret, newSecret, testSecret] = [newWhsecSecret(), newWhsecSecret(), newWhsecSecret()];
			const webhook = await hook(newSecret);
			await fixture.store.repository.update({ id: webhook.id }, { previousSecret: oldSecret, previousSecretExpiresAt: new Date(Date.now() + 60_000) });
			const delivery = await fixture.delivery();
			await delivery.enqueue([await fixture.row(webhook.id)], 'note', sampleBody, { attempts: 1, secret: testSecret });
			const [request] = await receiver.waitForRequests(1, 5000, new URL(webhook.url).pathname);
			assert.equal(verifies(testSecret, request!), true);
			assert.equal(verifies(oldSecret, request!), false);
			assert.equal(verifies(newSecret, request!), false);
		});
	});

	describe('system webhooks', () => {
		let systemDelivery: SystemWebhookDelivery;
		let systemStore: SystemWebhookStore;
		const prefix = `mw-test-system-signatures-${randomUUID()}`;

		before(async () => {
			systemStore = new SystemWebhookStore(fixture.dataSource);
			systemDelivery = new SystemWebhookDelivery({
				dataSource: fixture.dataSource,
				options: normalizeOptions({ serverUrl: 'https://misskey.example', redisUrl: testRedisUrl, queuePrefix: prefix, retryDelaysMs: [20], allowedPrivateNetworks: testAllowedPrivateNetworks }),
				logger: fixture.logger,
			});
			await systemDelivery.startWorker();
		});

		after(async () => {
			await systemDelivery?.close();
			const redis = new Redis(testRedisUrl);
			try {
				const keys = await redis.keys(`${prefix}:*`);
				if (keys.length > 0) await redis.del(...keys);
			} finally {
				redis.disconnect();
			}
		});

		it('are signed alike: standardwebhooks verifies them; sendSecretHeader: false leaves the clear secret out', async () => {
			const secret = newWhsecSecret();
			const signed = await systemStore.create({ isActive: true, name: 'signed', on: ['userCreated'], url: receiver.url('/system-signed'), secret });
			const quiet = await systemStore.create({ isActive: true, name: 'quiet', on: ['userCreated'], url: receiver.url('/system-quiet'), secret, sendSecretHeader: false });
			await systemDelivery.enqueue([signed, quiet], 'userCreated', { id: 'u1' });
			await receiver.waitForRequests(2);
			await waitUntilIdle(systemDelivery.queue);
			const [loud] = receiver.requests.filter((r) => r.path === '/system-signed');
			const [silent] = receiver.requests.filter((r) => r.path === '/system-quiet');
			assert.equal(verifies(secret, loud!), true);
			assert.equal(loud!.headers['webhook-id'], loud!.json.eventId);
			assert.equal(loud!.headers['x-misskey-hook-secret'], secret);
			assert.equal(verifies(secret, silent!), true);
			assert.equal(silent!.headers['x-misskey-hook-secret'], undefined);
		});

		it('during a rotation carry both signatures', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const row = await systemStore.create({ isActive: true, name: 'rotating', on: ['userCreated'], url: receiver.url('/system-rotating'), secret: newSecret });
			const rotated = await systemStore.update(row.id, { previousSecret: oldSecret, previousSecretExpiresAt: new Date(Date.now() + 60_000) });
			await systemDelivery.enqueue([rotated!], 'userCreated', { id: 'u1' });
			const [request] = await receiver.waitForRequests(1, 5000, '/system-rotating');
			assert.equal(verifies(newSecret, request!), true);
			assert.equal(verifies(oldSecret, request!), true);
		});
	});
});
