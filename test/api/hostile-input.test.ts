import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, validCreateParams, type ApiHarness, type ApiResponse } from './api-harness.js';
import { newModerator } from './admin-webhooks-fixture.js';
import { headerValueReason, storableTextReason } from '../../src/api/params/text-params.js';

describe('hostile input gets INVALID_PARAM naming the param, never a 500', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	function assertInvalid(response: ApiResponse, param: string, reason?: string): void {
		assert.equal(response.status, 400, response.rawBody);
		assert.equal(response.body.error.code, 'INVALID_PARAM');
		assert.equal(response.body.error.id, '3d81ceae-475f-4600-b2a8-2bc116157532');
		assert.equal(response.body.error.info.param, param);
		if (reason !== undefined) assert.equal(response.body.error.info.reason, reason);
	}

	it('NUL or an unpaired surrogate in name, url or secret is refused on create and update, and nothing is stored', async () => {
		const { token, userId } = newCaller(api);
		for (const bad of ['a\u0000b', '\ud800', 'x\udc00', 'ok\udbff']) {
			assertInvalid(await api.call('i/webhooks/create', { ...validCreateParams, name: bad }, { token }), '#/properties/name/storableText', storableTextReason);
			assertInvalid(await api.call('i/webhooks/create', { ...validCreateParams, url: `https://r.example/${bad}` }, { token }), '#/properties/url/storableText');
		}
		const secretNul = await api.call('i/webhooks/create', { ...validCreateParams, secret: 'a\u0000b' }, { token });
		assert.match(secretNul.body.error.info.param, /^#\/properties\/secret\/(storableText|headerValue)$/);
		assert.equal(await api.store.countByUser(userId), 0);
		const hook = await createHook(api, token);
		assertInvalid(await api.call('i/webhooks/update', { webhookId: hook.id, name: '\u0000' }, { token }), '#/properties/name/storableText');
		// A pair of surrogates is one character (an emoji) and is fine.
		assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, name: 'hook 🪝' }, { token })).status, 204);
	});

	it('a secret that no HTTP header can carry is refused everywhere a secret is taken', async () => {
		const { token } = newCaller(api);
		const moderator = newModerator(api);
		const hook = await createHook(api, token);
		const system = await api.call('admin/system-webhook/create', { isActive: true, name: 's', on: ['abuseReport'], url: 'https://r.example/s' }, { token: moderator.token });
		assert.equal(system.status, 200);
		for (const bad of ['line\r\nInjected: yes', 'a\nb', 'a\rb', '\u0001', '\u007f', 'euro €', 'caf\u00e9', ' leading', 'trailing\t']) {
			assertInvalid(await api.call('i/webhooks/create', { ...validCreateParams, secret: bad }, { token }), '#/properties/secret/headerValue', headerValueReason);
			assertInvalid(await api.call('i/webhooks/update', { webhookId: hook.id, secret: bad }, { token }), '#/properties/secret/headerValue');
			assertInvalid(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { secret: bad } }, { token }), '#/properties/override/properties/secret/headerValue');
			assertInvalid(await api.call('admin/system-webhook/create', { isActive: true, name: 's', on: ['abuseReport'], url: 'https://r.example/s', secret: bad }, { token: moderator.token }), '#/properties/secret/headerValue');
			assertInvalid(await api.call('admin/system-webhook/update', { id: system.body.id, isActive: true, name: 's', on: ['abuseReport'], url: 'https://r.example/s', secret: bad }, { token: moderator.token }), '#/properties/secret/headerValue');
		}
	});

	it('a secret with inner spaces and tabs is accepted and arrives in the header unchanged', async () => {
		const { token } = newCaller(api);
		const secret = 'pass word\twith ~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./';
		const hook = await createHook(api, token, { ...validCreateParams, url: receiver.url('/latin1'), secret });
		assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token })).status, 204);
		const [request] = await eventually(() => receiver.requests.filter((r) => r.path === '/latin1'), (found) => found.length > 0, 10_000);
		assert.equal(request!.headers['x-misskey-hook-secret'], secret);
	});

	it("test's overrides are bounded like the fields they stand in for", async () => {
		const { token } = newCaller(api);
		const hook = await createHook(api, token);
		const call = (override: unknown) => api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override }, { token });
		assertInvalid(await call({ url: `https://r.example/${'a'.repeat(1100)}` }), '#/properties/override/properties/url/maxLength');
		assertInvalid(await call({ url: '' }), '#/properties/override/properties/url/minLength');
		assertInvalid(await call({ secret: 's'.repeat(1025) }), '#/properties/override/properties/secret/maxLength');
		assertInvalid(await call({ url: 'https://r.example/\u0000' }), '#/properties/override/properties/url/storableText');
		const moderator = newModerator(api);
		const system = await api.call('admin/system-webhook/create', { isActive: true, name: 's', on: ['abuseReport'], url: 'https://r.example/s' }, { token: moderator.token });
		const systemTest = await api.call('admin/system-webhook/test', { webhookId: system.body.id, type: 'abuseReport', override: { url: `https://r.example/${'a'.repeat(1100)}` } }, { token: moderator.token });
		assertInvalid(systemTest, '#/properties/override/properties/url/maxLength');
	});

	it('on is a set: 20,000 and 65,536 repeats are stored as one entry per type', async () => {
		const { token, userId } = newCaller(api);
		const many = await createHook(api, token, { ...validCreateParams, on: Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'note' : 'follow')) });
		assert.deepEqual(many.on, ['follow', 'note']);
		const most = await createHook(api, token, { ...validCreateParams, on: Array.from({ length: 65_536 }, () => 'reaction') });
		assert.deepEqual(most.on, ['reaction']);
		assert.equal((await api.call('i/webhooks/update', { webhookId: most.id, on: ['mention', 'mention', 'reply'] }, { token })).status, 204);
		assert.deepEqual((await api.store.findOwned(most.id, userId))?.on, ['mention', 'reply']);
		const moderator = newModerator(api);
		const system = await api.call('admin/system-webhook/create', { isActive: true, name: 's', on: ['abuseReport', 'abuseReport', 'userCreated'], url: 'https://r.example/s' }, { token: moderator.token });
		assert.deepEqual(system.body.on, ['abuseReport', 'userCreated']);
	});

	it('a token with NUL or an unpaired surrogate is AUTHENTICATION_FAILED, without asking the host', async () => {
		for (const token of ['\u0000', 'abc\ud800']) {
			const response = await api.call('i/webhooks/list', {}, { token });
			assert.equal(response.status, 401);
			assert.equal(response.body.error.code, 'AUTHENTICATION_FAILED');
		}
	});

	it('a recover `since` beyond any date is INVALID_PARAM, not a RangeError', async () => {
		const { token } = newCaller(api);
		const hook = await createHook(api, token);
		assertInvalid(await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: 1e20 }, { token }), '#/properties/since/anyOf/0/maximum');
	});
});
