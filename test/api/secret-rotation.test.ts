import assert from 'node:assert/strict';
import { SECRET_ROTATION_GRACE_MS } from '../../src/signing/index.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { TestReceiver } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { createSystemHook, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';

/** Asserts an ISO time lies `graceMs` after a moment between `before` and `after`. */
function assertGraceEnd(iso: string, before: number, after: number, graceMs: number): void {
	const at = Date.parse(iso);
	assert.ok(at >= before + graceMs - 5 && at <= after + graceMs + 5, `${iso} is about ${graceMs} ms after the update`);
}

describe('secret rotation through the API', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
	});

	after(async () => {
		await api?.close();
		await receiver?.close();
	});

	beforeEach(() => receiver.clear());

	describe('i/webhooks/update', () => {
		it('a new secret keeps the old one signing for 24 h: the reply shows until when, never the old secret', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, secret: oldSecret });
			assert.equal(created.previousSecretExpiresAt, null);
			const before = Date.now();
			await api.call('i/webhooks/update', { webhookId: created.id, secret: newSecret }, { token });
			const after = Date.now();
			const stored = await api.store.findOwned(created.id, userId);
			assert.deepEqual([stored?.secret, stored?.previousSecret], [newSecret, oldSecret]);
			const shown = (await api.call('i/webhooks/show', { webhookId: created.id }, { token }));
			assertGraceEnd(shown.body.previousSecretExpiresAt, before, after, SECRET_ROTATION_GRACE_MS);
			assert.equal(shown.body.secret, newSecret);
			assert.equal(shown.rawBody.includes(oldSecret), false, 'the replaced secret is never answered');
			assert.equal((await api.call('i/webhooks/list', {}, { token })).rawBody.includes(oldSecret), false);
		});

		it('during the grace period deliveries carry both signatures: each secret alone verifies them', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const { token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, url: receiver.url('/rotating'), secret: oldSecret });
			await api.call('i/webhooks/update', { webhookId: created.id, secret: newSecret }, { token });
			await api.call('i/webhooks/test', { webhookId: created.id, type: 'note' }, { token });
			const [request] = await receiver.waitForRequests(1);
			assert.equal(String(request!.headers['webhook-signature']).split(' ').length, 2);
			assert.equal(verifies(newSecret, request!), true, 'a receiver already on the new secret');
			assert.equal(verifies(oldSecret, request!), true, 'a receiver still on the old secret');
		});

		it('setting the same secret again starts no rotation; replacing an empty secret leaves no old one', async () => {
			const { userId, token } = newCaller(api);
			const same = await createHook(api, token, { ...validCreateParams, secret: 'unchanged' });
			await api.call('i/webhooks/update', { webhookId: same.id, secret: 'unchanged' }, { token });
			assert.equal((await api.store.findOwned(same.id, userId))?.previousSecret, null);
			const empty = await createHook(api, token, { ...validCreateParams, secret: '' });
			await api.call('i/webhooks/update', { webhookId: empty.id, secret: 'first' }, { token });
			const stored = await api.store.findOwned(empty.id, userId);
			assert.deepEqual([stored?.secret, stored?.previousSecret, stored?.previousSecretExpiresAt], ['first', null, null]);
		});

		it('secret: null (stored as \'\') still lets the old secret sign through the grace period', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, secret: 'was-set' });
			await api.call('i/webhooks/update', { webhookId: created.id, secret: null }, { token });
			const stored = await api.store.findOwned(created.id, userId);
			assert.deepEqual([stored?.secret, stored?.previousSecret], ['', 'was-set']);
		});

		it('an update without a secret leaves a running rotation alone', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, secret: 'one' });
			await api.call('i/webhooks/update', { webhookId: created.id, secret: 'two' }, { token });
			const rotated = await api.store.findOwned(created.id, userId);
			await api.call('i/webhooks/update', { webhookId: created.id, name: 'renamed', retryPolicy: 'misskey' }, { token });
			const after = await api.store.findOwned(created.id, userId);
			assert.deepEqual([after?.previousSecret, after?.previousSecretExpiresAt], [rotated?.previousSecret, rotated?.previousSecretExpiresAt]);
		});

		it('a new secret on another user\'s webhook is NO_SUCH_WEBHOOK and changes nothing', async () => {
			const owner = newCaller(api);
			const created = await createHook(api, owner.token, { ...validCreateParams, secret: 'mine' });
			const stranger = newCaller(api);
			const response = await api.call('i/webhooks/update', { webhookId: created.id, secret: 'stolen' }, { token: stranger.token });
			assert.equal(response.body.error.code, 'NO_SUCH_WEBHOOK');
			const stored = await api.store.findOwned(created.id, owner.userId);
			assert.deepEqual([stored?.secret, stored?.previousSecret], ['mine', null]);
		});
	});

	describe('admin/system-webhook/update', () => {
		it('a new secret keeps the old one signing through the grace period; deliveries verify under either', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token, { secret: oldSecret, url: receiver.url('/system-rotating'), on: ['userCreated'] });
			const before = Date.now();
			const update = { id: created.id, isActive: true, name: validSystemCreateParams.name, on: ['userCreated'], url: receiver.url('/system-rotating'), secret: newSecret };
			const updated = await api.call('admin/system-webhook/update', update, { token });
			assertGraceEnd(updated.body.previousSecretExpiresAt, before, Date.now(), SECRET_ROTATION_GRACE_MS);
			assert.equal(updated.rawBody.includes(oldSecret), false, 'the replaced secret is never answered');
			assert.equal((await api.systemStore.findById(created.id))?.previousSecret, oldSecret);
			assert.equal(JSON.stringify(api.host.moderatorActions).includes(oldSecret), false, 'nor logged');

			await api.call('admin/system-webhook/test', { webhookId: created.id, type: 'userCreated' }, { token });
			const [request] = await receiver.waitForRequests(1);
			assert.equal(verifies(newSecret, request!), true);
			assert.equal(verifies(oldSecret, request!), true);
		});

		it('an update without a secret keeps both the secret and the running rotation', async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token, { secret: 'sys-one' });
			const update = { id: created.id, isActive: true, name: 'n', on: ['userCreated'], url: validSystemCreateParams.url };
			await api.call('admin/system-webhook/update', { ...update, secret: 'sys-two' }, { token });
			const rotated = await api.systemStore.findById(created.id);
			await api.call('admin/system-webhook/update', update, { token });
			const after = await api.systemStore.findById(created.id);
			assert.deepEqual([after?.secret, after?.previousSecret, after?.previousSecretExpiresAt], ['sys-two', 'sys-one', rotated?.previousSecretExpiresAt]);
		});
	});

	describe('secretRotationGraceMs', () => {
		let noGrace: ApiHarness;

		before(async () => {
			noGrace = await startApiHarness({ options: { secretRotationGraceMs: 0 }, dataSource: api.dataSource });
		});

		after(async () => {
			await noGrace?.close();
		});

		it('sets the grace period; with none, only the new secret signs at once', async () => {
			const [oldSecret, newSecret] = [newWhsecSecret(), newWhsecSecret()];
			const { token } = newCaller(noGrace);
			const created = await createHook(noGrace, token, { ...validCreateParams, url: receiver.url('/no-grace'), secret: oldSecret });
			await noGrace.call('i/webhooks/update', { webhookId: created.id, secret: newSecret }, { token });
			assert.equal((await noGrace.call('i/webhooks/show', { webhookId: created.id }, { token })).body.previousSecretExpiresAt, null);
			await noGrace.call('i/webhooks/test', { webhookId: created.id, type: 'note' }, { token });
			const [request] = await receiver.waitForRequests(1);
			assert.equal(verifies(newSecret, request!), true);
			assert.equal(verifies(oldSecret, request!), false);
		});
	});
});
