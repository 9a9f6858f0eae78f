import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';

const invalidParam = { status: 400, code: 'INVALID_PARAM', id: '3d81ceae-475f-4600-b2a8-2bc116157532' };

/** The delivery options of a packed user webhook. */
function userOptionsOf(hook: any) {
	const { retryPolicy, sendSecretHeader, excludeSpecifiedNotes, excludeFollowersNotes } = hook;
	return { retryPolicy, sendSecretHeader, excludeSpecifiedNotes, excludeFollowersNotes };
}

describe('per-webhook delivery options in the API', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
	});

	after(async () => {
		await api?.close();
		await receiver?.close();
	});

	beforeEach(() => receiver.clear());

	describe('user webhooks', () => {
		it('create stores the given options and every reply (create, show, list) carries them', async () => {
			const { userId, token } = newCaller(api);
			const options = { retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: true, excludeFollowersNotes: true };
			const created = await createHook(api, token, { ...validCreateParams, ...options });
			schemas.assert('UserWebhook', created);
			assert.deepEqual(userOptionsOf(created), options);
			const shown = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
			assert.deepEqual(userOptionsOf(shown), options);
			const [listed] = (await api.call('i/webhooks/list', {}, { token })).body;
			assert.deepEqual(userOptionsOf(listed), options);
			const stored = await api.store.findOwned(created.id, userId);
			assert.deepEqual(userOptionsOf(stored), options);
		});

		it('create without options: the standard preset, the clear secret header, no note filter', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token);
			assert.deepEqual(userOptionsOf(created), { retryPolicy: 'standard', sendSecretHeader: true, excludeSpecifiedNotes: false, excludeFollowersNotes: false });
		});

		it('update changes only the options it is given', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, excludeFollowersNotes: true });
			assert.equal((await api.call('i/webhooks/update', { webhookId: created.id, retryPolicy: 'misskey', sendSecretHeader: false }, { token })).status, 204);
			const afterFirst = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
			assert.deepEqual(userOptionsOf(afterFirst), { retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: false, excludeFollowersNotes: true });
			await api.call('i/webhooks/update', { webhookId: created.id, excludeSpecifiedNotes: true, excludeFollowersNotes: false, name: 'renamed' }, { token });
			const afterSecond = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
			assert.deepEqual(userOptionsOf(afterSecond), { retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: true, excludeFollowersNotes: false });
			assert.equal(afterSecond.name, 'renamed');
		});

		it('update announces the options, so the registry matches the webhook with them at once', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, on: ['note'] });
			await api.call('i/webhooks/update', { webhookId: created.id, sendSecretHeader: false, excludeSpecifiedNotes: true }, { token });
			const [matched] = api.registry.match(userId, 'note');
			assert.deepEqual([matched?.sendSecretHeader, matched?.excludeSpecifiedNotes], [false, true]);
		});

		const invalid: Array<[string, Record<string, unknown>]> = [
			['an unknown retry preset', { retryPolicy: 'forever' }],
			['a string sendSecretHeader', { sendSecretHeader: 'false' }],
			['a null note filter', { excludeSpecifiedNotes: null }],
		];
		for (const [what, params] of invalid) {
			it(`create and update with ${what} get INVALID_PARAM`, async () => {
				const { token } = newCaller(api);
				assert.deepEqual(errorOf(await api.call('i/webhooks/create', { ...validCreateParams, ...params }, { token })), invalidParam);
				const created = await createHook(api, token);
				assert.deepEqual(errorOf(await api.call('i/webhooks/update', { webhookId: created.id, ...params }, { token })), invalidParam);
			});
		}

		it('sendSecretHeader: false stops the clear secret on test sends; true brings it back', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, url: receiver.url('/user-secret-header'), secret: 'clear-or-not', sendSecretHeader: false });
			await api.call('i/webhooks/test', { webhookId: created.id, type: 'note' }, { token });
			const [quiet] = await receiver.waitForRequests(1);
			assert.equal(quiet!.headers['x-misskey-hook-secret'], undefined);
			assert.ok(quiet!.headers['webhook-signature']);
			await api.call('i/webhooks/update', { webhookId: created.id, sendSecretHeader: true }, { token });
			await api.call('i/webhooks/test', { webhookId: created.id, type: 'note' }, { token });
			const [, loud] = await receiver.waitForRequests(2);
			assert.equal(loud!.headers['x-misskey-hook-secret'], 'clear-or-not');
		});
	});

	describe('system webhooks', () => {
		it('create stores retryPolicy and sendSecretHeader, and create, show and list answer them', async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token, { retryPolicy: 'misskey', sendSecretHeader: false });
			schemas.assert('SystemWebhook', created);
			assert.deepEqual([created.retryPolicy, created.sendSecretHeader], ['misskey', false]);
			const shown = (await api.call('admin/system-webhook/show', { id: created.id }, { token })).body;
			assert.deepEqual([shown.retryPolicy, shown.sendSecretHeader], ['misskey', false]);
			const listed = (await api.call('admin/system-webhook/list', {}, { token })).body.find((hook: any) => hook.id === created.id);
			assert.deepEqual([listed.retryPolicy, listed.sendSecretHeader], ['misskey', false]);
		});

		it('create without options: the standard preset and the clear secret header', async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token);
			assert.deepEqual([created.retryPolicy, created.sendSecretHeader], ['standard', true]);
		});

		it('update without options (Misskey\'s full replacement) keeps them; with them changes them', async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token, { retryPolicy: 'misskey', sendSecretHeader: false });
			const misskeyCall = { id: created.id, isActive: true, name: 'renamed', on: ['userCreated'], url: validSystemCreateParams.url };
			const kept = (await api.call('admin/system-webhook/update', misskeyCall, { token })).body;
			assert.deepEqual([kept.name, kept.retryPolicy, kept.sendSecretHeader], ['renamed', 'misskey', false]);
			const changed = (await api.call('admin/system-webhook/update', { ...misskeyCall, retryPolicy: 'standard', sendSecretHeader: true }, { token })).body;
			assert.deepEqual([changed.retryPolicy, changed.sendSecretHeader], ['standard', true]);
		});

		it('an unknown retry preset gets INVALID_PARAM', async () => {
			const { token } = newModerator(api);
			assert.deepEqual(errorOf(await api.call('admin/system-webhook/create', { ...validSystemCreateParams, retryPolicy: 'forever' }, { token })), invalidParam);
		});
	});

	describe('defaultRetryPolicy', () => {
		let misskeyDefault: ApiHarness;

		before(async () => {
			misskeyDefault = await startApiHarness({ options: { defaultRetryPolicy: 'misskey' }, dataSource: api.dataSource });
		});

		after(async () => {
			await misskeyDefault?.close();
		});

		it('is the preset of a webhook created without one, user or system; a named preset wins', async () => {
			const { token } = newCaller(misskeyDefault);
			assert.equal((await createHook(misskeyDefault, token)).retryPolicy, 'misskey');
			assert.equal((await createHook(misskeyDefault, token, { ...validCreateParams, retryPolicy: 'standard' })).retryPolicy, 'standard');
			const moderator = newModerator(misskeyDefault);
			assert.equal((await createSystemHook(misskeyDefault, moderator.token)).retryPolicy, 'misskey');
		});
	});
});
