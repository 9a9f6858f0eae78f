import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';

const missingId = 'aaaaaaaaaaaaaaaa';

describe('i/webhooks/list, show, update and delete', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});

	after(async () => {
		await api.close();
	});

	describe('list', () => {
		it("returns only the caller's webhooks, secrets included", async () => {
			const me = newCaller(api);
			const other = newCaller(api);
			const mine = [await createHook(api, me.token, { ...validCreateParams, secret: 'a' }), await createHook(api, me.token, { ...validCreateParams, secret: 'b' })];
			await createHook(api, other.token);
			const response = await api.call('i/webhooks/list', {}, { token: me.token });
			assert.equal(response.status, 200);
			const byId = (a: any, b: any) => a.id.localeCompare(b.id);
			assert.deepEqual([...response.body].sort(byId), [...mine].sort(byId));
			assert.deepEqual(response.body.map((hook: any) => hook.secret).sort(), ['a', 'b']);
		});

		it('is empty for a user without webhooks', async () => {
			const { token } = newCaller(api);
			assert.deepEqual((await api.call('i/webhooks/list', {}, { token })).body, []);
		});
	});

	describe('secrets and app tokens', () => {
		const validator = createSchemaValidator();

		it('list and show withhold the secret from an app token: empty, with secretWithheld, and still a valid UserWebhook', async () => {
			const { user, token: nativeToken } = api.host.addUserWithToken();
			const hook = await createHook(api, nativeToken, { ...validCreateParams, secret: 'native-only' });
			const appToken = api.host.issueToken(user, { native: false, permissions: ['read:account'] });
			const listed = await api.call('i/webhooks/list', {}, { token: appToken });
			assert.equal(listed.status, 200);
			assert.deepEqual(listed.body, [{ ...hook, secret: '', secretWithheld: true }]);
			const shown = await api.call('i/webhooks/show', { webhookId: hook.id }, { token: appToken });
			assert.equal(shown.status, 200);
			assert.deepEqual(shown.body, { ...hook, secret: '', secretWithheld: true });
			assert.doesNotMatch(listed.rawBody + shown.rawBody, /native-only/);
			assert.equal(validator.validate('UserWebhook', shown.body).valid, true);
		});

		it('a native token still reads the secret, with no secretWithheld key', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, { ...validCreateParams, secret: 'mine' });
			const shown = await api.call('i/webhooks/show', { webhookId: hook.id }, { token });
			assert.equal(shown.body.secret, 'mine');
			assert.equal('secretWithheld' in shown.body, false);
			const listed = await api.call('i/webhooks/list', {}, { token });
			assert.equal(listed.body[0].secret, 'mine');
			assert.equal('secretWithheld' in listed.body[0], false);
		});
	});

	describe('show', () => {
		it('returns the webhook as created', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, { ...validCreateParams, secret: 'x' });
			const response = await api.call('i/webhooks/show', { webhookId: hook.id }, { token });
			assert.equal(response.status, 200);
			assert.deepEqual(response.body, hook);
		});

		it('shows latestSentAt as an ISO string and latestStatus as a number once set', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			await api.store.repository.update({ id: hook.id }, { latestSentAt: new Date('2025-01-02T03:04:05.678Z'), latestStatus: 503 });
			const response = await api.call('i/webhooks/show', { webhookId: hook.id }, { token });
			assert.equal(response.body.latestSentAt, '2025-01-02T03:04:05.678Z');
			assert.equal(response.body.latestStatus, 503);
		});

		it('a missing id gets NO_SUCH_WEBHOOK with the show id', async () => {
			const { token } = newCaller(api);
			const response = await api.call('i/webhooks/show', { webhookId: missingId }, { token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, { message: 'No such webhook.', code: 'NO_SUCH_WEBHOOK', id: '50f614d9-3047-4f7e-90d8-ad6b2d5fb098', kind: 'client' });
		});

		it("another user's webhook looks missing", async () => {
			const owner = newCaller(api);
			const hook = await createHook(api, owner.token);
			const response = await api.call('i/webhooks/show', { webhookId: hook.id }, { token: newCaller(api).token });
			assert.equal(response.body.error.id, '50f614d9-3047-4f7e-90d8-ad6b2d5fb098');
		});

		it('a missing webhookId gets INVALID_PARAM', async () => {
			const response = await api.call('i/webhooks/show', {}, { token: newCaller(api).token });
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.reason, "must have required property 'webhookId'");
		});
	});

	describe('update', () => {
		it('replies 204 with no body', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			const response = await api.call('i/webhooks/update', { webhookId: hook.id, name: 'renamed' }, { token });
			assert.equal(response.status, 204);
			assert.equal(response.rawBody, '');
		});

		it('is partial: omitted keys stay unchanged', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, { ...validCreateParams, secret: 'keep' });
			await api.call('i/webhooks/update', { webhookId: hook.id, name: 'renamed' }, { token });
			const shown = (await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body;
			assert.deepEqual(shown, { ...hook, name: 'renamed' });
		});

		it('changes every given key', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			const changes = { name: 'n2', url: 'https://elsewhere.example/', secret: 'new', on: ['mention'], active: false };
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, ...changes }, { token })).status, 204);
			const shown = (await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body;
			assert.deepEqual(shown, { ...hook, ...changes });
		});

		it('an event type it does not know is kept as given, and show answers it so', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			const on = ['reaction', 'edited', 'followRequestReceived'];
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, on }, { token })).status, 204);
			assert.deepEqual((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.on, on);
		});

		it("secret: null stores ''", async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, { ...validCreateParams, secret: 'old' });
			await api.call('i/webhooks/update', { webhookId: hook.id, secret: null }, { token });
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.secret, '');
		});

		it('a missing id gets NO_SUCH_WEBHOOK with the update id', async () => {
			const response = await api.call('i/webhooks/update', { webhookId: missingId, name: 'x' }, { token: newCaller(api).token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, { message: 'No such webhook.', code: 'NO_SUCH_WEBHOOK', id: 'fb0fea69-da18-45b1-828d-bd4fd1612518', kind: 'client' });
		});

		it("another user's webhook looks missing and is left unchanged", async () => {
			const owner = newCaller(api);
			const hook = await createHook(api, owner.token);
			const response = await api.call('i/webhooks/update', { webhookId: hook.id, name: 'hijacked' }, { token: newCaller(api).token });
			assert.equal(response.body.error.id, 'fb0fea69-da18-45b1-828d-bd4fd1612518');
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token: owner.token })).body.name, validCreateParams.name);
		});

		const violations: Array<[string, Record<string, unknown>, string]> = [
			['an empty name', { name: '' }, '#/properties/name/minLength'],
			['a 101-character name', { name: 'n'.repeat(101) }, '#/properties/name/maxLength'],
			['an empty url', { url: '' }, '#/properties/url/minLength'],
			['a 1025-character url', { url: 'u'.repeat(1025) }, '#/properties/url/maxLength'],
			['a 1025-character secret', { secret: 's'.repeat(1025) }, '#/properties/secret/maxLength'],
			['an empty event type in on', { on: [''] }, '#/properties/on/items/minLength'],
			['65 entries in on', { on: Array.from({ length: 65 }, (_, i) => `type${i}`) }, '#/properties/on/uniqueSet'],
			['a string active', { active: 'yes' }, '#/properties/active/type'],
		];
		for (const [what, params, param] of violations) {
			it(`${what} gets INVALID_PARAM naming ${param}`, async () => {
				const { token } = newCaller(api);
				const hook = await createHook(api, token);
				const response = await api.call('i/webhooks/update', { webhookId: hook.id, ...params }, { token });
				assert.equal(response.body.error.code, 'INVALID_PARAM');
				assert.equal(response.body.error.info.param, param);
			});
		}
	});

	describe('delete', () => {
		it('replies 204 with no body, and the webhook is gone', async () => {
			const { userId, token } = newCaller(api);
			const hook = await createHook(api, token);
			const response = await api.call('i/webhooks/delete', { webhookId: hook.id }, { token });
			assert.equal(response.status, 204);
			assert.equal(response.rawBody, '');
			assert.equal(await api.store.findOwned(hook.id, userId), null);
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.error.code, 'NO_SUCH_WEBHOOK');
		});

		it('a missing id gets NO_SUCH_WEBHOOK with the delete id', async () => {
			const response = await api.call('i/webhooks/delete', { webhookId: missingId }, { token: newCaller(api).token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, { message: 'No such webhook.', code: 'NO_SUCH_WEBHOOK', id: 'bae73e5a-5522-4965-ae19-3a8688e71d82', kind: 'client' });
		});

		it("another user's webhook looks missing and is kept", async () => {
			const owner = newCaller(api);
			const hook = await createHook(api, owner.token);
			const response = await api.call('i/webhooks/delete', { webhookId: hook.id }, { token: newCaller(api).token });
			assert.equal(response.body.error.id, 'bae73e5a-5522-4965-ae19-3a8688e71d82');
			assert.ok(await api.store.findOwned(hook.id, owner.userId));
		});

		it('frees a slot under the limit', async () => {
			const { token } = newCaller(api);
			const hooks = [await createHook(api, token), await createHook(api, token), await createHook(api, token)];
			await api.call('i/webhooks/delete', { webhookId: hooks[0].id }, { token });
			assert.equal((await api.call('i/webhooks/create', validCreateParams, { token })).status, 200);
		});
	});
});
