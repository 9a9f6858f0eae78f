import assert from 'node:assert/strict';
import { TestHost } from '../support/test-host.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';

describe('i/webhooks/create', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});

	after(async () => {
		await api.close();
	});

	it('returns the full object: secret defaults to "", active, and null status and pause fields', async () => {
		const { userId, token } = newCaller(api);
		const response = await api.call('i/webhooks/create', validCreateParams, { token });
		assert.equal(response.status, 200);
		const { id, retryPolicy, sendSecretHeader, previousSecretExpiresAt, excludeSpecifiedNotes, excludeFollowersNotes, format, deliveryRate, deliveryBurst, template, templateContentType, filter, ...rest } = response.body;
		assert.match(id, /^[a-zA-Z0-9]+$/);
		assert.deepEqual(rest, { userId, name: 'my hook', on: ['note', 'follow'], url: 'https://receiver.example/hook', secret: '', active: true, latestSentAt: null, latestStatus: null, pausedBy: null, pausedReason: null, pausedAt: null });
		// Our delivery options at their defaults.
		assert.deepEqual(
			{ retryPolicy, sendSecretHeader, previousSecretExpiresAt, excludeSpecifiedNotes, excludeFollowersNotes, format, deliveryRate, deliveryBurst, template, templateContentType, filter },
			{ retryPolicy: 'standard', sendSecretHeader: true, previousSecretExpiresAt: null, excludeSpecifiedNotes: false, excludeFollowersNotes: false, format: 'misskey', deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json', filter: null },
		);
		const stored = await api.store.findOwned(id, userId);
		assert.equal(stored?.secret, '');
		assert.deepEqual(stored?.on, ['note', 'follow']);
	});

	it('keeps a given secret and an empty on; repeated types are accepted as Misskey does, and stored once', async () => {
		const { token } = newCaller(api);
		assert.equal((await createHook(api, token, { ...validCreateParams, secret: 's3cret' })).secret, 's3cret');
		assert.deepEqual((await createHook(api, token, { ...validCreateParams, on: [] })).on, []);
		assert.deepEqual((await createHook(api, token, { ...validCreateParams, on: ['note', 'follow', 'note'] })).on, ['note', 'follow']);
	});

	it('keeps event types it does not know as the owner gave them, in order, and list and show answer them so', async () => {
		const { token } = newCaller(api);
		const on = ['note', 'edited', 'noteDeleted', 'antenna', 'x'.repeat(128)];
		const created = await createHook(api, token, { ...validCreateParams, on: [...on, 'edited'] });
		assert.deepEqual(created.on, on);
		assert.deepEqual((await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body.on, on);
		const listed = (await api.call('i/webhooks/list', {}, { token })).body as Array<{ id: string; on: string[] }>;
		assert.deepEqual(listed.find((hook) => hook.id === created.id)?.on, on);
	});

	it('refuses a URL that does not parse with INVALID_WEBHOOK_URL (ours; Misskey accepts any string)', async () => {
		const { token } = newCaller(api);
		const response = await api.call('i/webhooks/create', { ...validCreateParams, url: 'not a url' }, { token });
		assert.equal(response.status, 400);
		assert.equal(response.body.error.code, 'INVALID_WEBHOOK_URL');
	});

	it('the fourth webhook gets TOO_MANY_WEBHOOKS with its id: the default limit 3 is checked with >=', async () => {
		const { userId, token } = newCaller(api);
		for (let n = 0; n < 3; n++) await createHook(api, token);
		const response = await api.call('i/webhooks/create', validCreateParams, { token });
		assert.equal(response.status, 400);
		assert.deepEqual(response.body.error, { message: 'You cannot create webhook any more.', code: 'TOO_MANY_WEBHOOKS', id: '87a9bb19-111e-4e37-81d3-a3e7426453b0', kind: 'client' });
		assert.equal(await api.store.countByUser(userId), 3);
	});

	it('inactive webhooks count towards the limit', async () => {
		const { token } = newCaller(api);
		for (let n = 0; n < 3; n++) {
			const hook = await createHook(api, token);
			await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token });
		}
		assert.equal((await api.call('i/webhooks/create', validCreateParams, { token })).body.error.code, 'TOO_MANY_WEBHOOKS');
	});

	it('honours the host role policy webhookLimit', async () => {
		const { user, token } = api.host.addUserWithToken();
		api.host.setWebhookLimit(user, 5);
		for (let n = 0; n < 5; n++) await createHook(api, token);
		assert.equal((await api.call('i/webhooks/create', validCreateParams, { token })).body.error.code, 'TOO_MANY_WEBHOOKS');
	});

	it('a webhookLimit of 0 forbids any webhook', async () => {
		const { user, token } = api.host.addUserWithToken();
		api.host.setWebhookLimit(user, 0);
		assert.equal((await api.call('i/webhooks/create', validCreateParams, { token })).body.error.code, 'TOO_MANY_WEBHOOKS');
	});

	const violations: Array<[string, Record<string, unknown>, string]> = [
		['an empty name', { ...validCreateParams, name: '' }, '#/properties/name/minLength'],
		['a 101-character name', { ...validCreateParams, name: 'n'.repeat(101) }, '#/properties/name/maxLength'],
		['a numeric name', { ...validCreateParams, name: 42 }, '#/properties/name/type'],
		['an empty url', { ...validCreateParams, url: '' }, '#/properties/url/minLength'],
		['a 1025-character url', { ...validCreateParams, url: 'u'.repeat(1025) }, '#/properties/url/maxLength'],
		['a 1025-character secret', { ...validCreateParams, secret: 's'.repeat(1025) }, '#/properties/secret/maxLength'],
		['a null secret', { ...validCreateParams, secret: null }, '#/properties/secret/type'],
		['an empty event type in on', { ...validCreateParams, on: ['note', ''] }, '#/properties/on/items/minLength'],
		['a 129-character event type in on', { ...validCreateParams, on: ['x'.repeat(129)] }, '#/properties/on/items/maxLength'],
		['65 entries in on', { ...validCreateParams, on: Array.from({ length: 65 }, (_, i) => `type${i}`) }, '#/properties/on/uniqueSet'],
		['a number in on', { ...validCreateParams, on: ['note', 1] }, '#/properties/on/items/type'],
		['on as a string', { ...validCreateParams, on: 'note' }, '#/properties/on/type'],
		['a missing name', { url: validCreateParams.url, on: validCreateParams.on }, '#/required'],
		['a missing url', { name: validCreateParams.name, on: validCreateParams.on }, '#/required'],
		['a missing on', { name: validCreateParams.name, url: validCreateParams.url }, '#/required'],
	];
	for (const [what, params, param] of violations) {
		it(`${what} gets INVALID_PARAM naming ${param}`, async () => {
			const { userId, token } = newCaller(api);
			const response = await api.call('i/webhooks/create', params, { token });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, param);
			assert.equal(await api.store.countByUser(userId), 0);
		});
	}

	it('a missing key is named in the reason', async () => {
		const { token } = newCaller(api);
		const response = await api.call('i/webhooks/create', { name: 'x', on: [] }, { token });
		assert.equal(response.body.error.info.reason, "must have required property 'url'");
	});

	it('a 100-character name and a 1024-character url and secret are accepted', async () => {
		const { token } = newCaller(api);
		const hook = await createHook(api, token, { name: 'n'.repeat(100), url: `https://receiver.example/${'u'.repeat(1024 - 25)}`, secret: 's'.repeat(1024), on: [] });
		assert.equal(hook.name.length, 100);
		assert.equal(hook.url.length, 1024);
		assert.equal(hook.secret.length, 1024);
	});
});

describe('i/webhooks/create without a host webhookLimit', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness({ host: new TestHost({ withoutWebhookLimit: true }) });
	});

	after(async () => {
		await api.close();
	});

	it("falls back to Misskey's base limit of 3", async () => {
		const { token } = api.host.addUserWithToken();
		const params = { name: 'h', url: 'https://receiver.example/', on: [] };
		for (let n = 0; n < 3; n++) assert.equal((await api.call('i/webhooks/create', params, { token })).status, 200);
		assert.equal((await api.call('i/webhooks/create', params, { token })).body.error.code, 'TOO_MANY_WEBHOOKS');
	});
});
