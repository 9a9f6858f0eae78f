import assert from 'node:assert/strict';
import { TestReceiver } from '../support/receiver.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { createSystemHook, newModerator } from './system-webhook-fixture.js';

const INVALID_PARAM_ID = '3d81ceae-475f-4600-b2a8-2bc116157532';

describe('content filters through the API', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	describe('create and update', () => {
		it('create stores the filter and every answer shows it', async () => {
			const { token } = newCaller(api);
			const filter = { all: [{ visibility: 'public' }, { not: { isRenote: true } }] };
			const hook = await createHook(api, token, { ...validCreateParams, filter });
			assert.deepEqual(hook.filter, filter);
			assert.deepEqual((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.filter, filter);
			assert.deepEqual(api.registry.match(hook.userId, 'note').map((row) => row.filter), [filter]);
		});

		it('a bad filter gets INVALID_PARAM naming the param, the place inside it and why; nothing is created', async () => {
			const { token, userId } = newCaller(api);
			const response = await api.call('i/webhooks/create', { ...validCreateParams, filter: { all: [{ hasFiles: true }, { any: [{ regex: '(a+)+$' }] }] } }, { token });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.id, INVALID_PARAM_ID);
			assert.equal(response.body.error.info.param, 'filter');
			assert.equal(response.body.error.info.path, '/all/1/any/0/regex');
			assert.match(response.body.error.info.reason, /^filter\/all\/1\/any\/0\/regex: unknown operator "regex"/);
			assert.equal(await api.store.countByUser(userId), 0);
		});

		it('a filter that is not an object is refused by the param schema', async () => {
			const { token } = newCaller(api);
			const response = await api.call('i/webhooks/create', { ...validCreateParams, filter: 'hasFiles' }, { token });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
		});

		it('update changes the filter, a bad one leaves it as it was, null removes it', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, validCreateParams);
			assert.equal(hook.filter, null);
			const changed = await api.call('i/webhooks/update', { webhookId: hook.id, filter: { localOnly: true } }, { token });
			assert.equal(changed.status, 204);
			const refused = await api.call('i/webhooks/update', { webhookId: hook.id, filter: { localOnly: 'yes' }, name: 'renamed' }, { token });
			assert.equal(refused.status, 400);
			assert.equal(refused.body.error.info.path, '/localOnly');
			let shown = (await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body;
			assert.deepEqual([shown.filter, shown.name], [{ localOnly: true }, validCreateParams.name], 'the refused update changed nothing');
			await api.call('i/webhooks/update', { webhookId: hook.id, name: 'kept' }, { token });
			shown = (await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body;
			assert.deepEqual(shown.filter, { localOnly: true }, 'an update without filter keeps it');
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, filter: null }, { token })).status, 204);
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.filter, null);
		});

		it('system webhooks take a filter too, refused the same way', async () => {
			const { token } = newModerator(api);
			const hook = await createSystemHook(api, token, { filter: { path: 'user.host', equals: null } });
			assert.deepEqual(hook.filter, { path: 'user.host', equals: null });
			const refused = await api.call('admin/system-webhook/update', { id: hook.id, isActive: true, name: 'n', on: ['userCreated'], url: 'https://receiver.example/system', filter: { path: 'user host', equals: null } }, { token });
			assert.equal(refused.status, 400);
			assert.equal(refused.body.error.info.path, '/path');
		});
	});

	describe('i/webhooks/test', () => {
		it('tells whether the dummy event passes the filter, and sends it either way', async () => {
			const { token } = newCaller(api);
			const publicOnly = await createHook(api, token, { ...validCreateParams, url: receiver.url('/public'), filter: { visibility: 'public' } });
			const homeOnly = await createHook(api, token, { ...validCreateParams, url: receiver.url('/home'), filter: { visibility: 'home' } });
			const passing = await api.call('i/webhooks/test', { webhookId: publicOnly.id, type: 'note' }, { token });
			assert.equal(passing.status, 200);
			assert.deepEqual(passing.body, { passesFilter: true });
			const refused = await api.call('i/webhooks/test', { webhookId: homeOnly.id, type: 'note' }, { token });
			assert.deepEqual(refused.body, { passesFilter: false });
			const followed = await api.call('i/webhooks/test', { webhookId: homeOnly.id, type: 'followed' }, { token });
			assert.deepEqual(followed.body, { passesFilter: false }, 'a note condition refuses a body without a note');
			await receiver.waitForRequests(3, 10_000);
			assert.deepEqual(receiver.requests.map((request) => request.path).sort(), ['/home', '/home', '/public']);
		});

		it('a webhook without a filter answers 204, as Misskey', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token, { ...validCreateParams, url: receiver.url('/plain') });
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
			assert.equal(response.status, 204);
		});

		it('admin/system-webhook/test tells it for system webhooks', async () => {
			const { token } = newModerator(api);
			const hook = await createSystemHook(api, token, { url: receiver.url('/system'), filter: { path: 'user.host', exists: true } });
			const response = await api.call('admin/system-webhook/test', { webhookId: hook.id, type: 'userCreated' }, { token });
			assert.deepEqual([response.status, response.body], [200, { passesFilter: false }]);
		});
	});
});
