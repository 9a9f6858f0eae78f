import assert from 'node:assert/strict';
import { startApiHarness, type ApiHarness } from './api-harness.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const validCreate = { name: 'hook', url: 'https://receiver.example/hook', on: ['note'] };

describe('API calling convention', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});

	after(async () => {
		await api.close();
	});

	describe('credentials', () => {
		it('a call without credential gets CREDENTIAL_REQUIRED (401) with a bare Bearer challenge', async () => {
			const response = await api.call('i/webhooks/list');
			assert.equal(response.status, 401);
			assert.deepEqual(response.body, { error: { message: 'Credential required.', code: 'CREDENTIAL_REQUIRED', id: '1384574d-a912-4b81-8601-c7b1c4085df1', kind: 'client' } });
			assert.equal(response.headers['www-authenticate'], 'Bearer realm="Misskey"');
		});

		it('an unknown token gets AUTHENTICATION_FAILED (401) with an invalid_token challenge', async () => {
			const response = await api.call('i/webhooks/list', {}, { token: 'no-such-token' });
			assert.equal(response.status, 401);
			assert.equal(response.body.error.code, 'AUTHENTICATION_FAILED');
			assert.equal(response.body.error.id, 'b0a7f5f8-dc2f-4171-b91f-de88ad238e14');
			assert.equal(response.body.error.kind, 'client');
			assert.match(String(response.headers['www-authenticate']), /^Bearer realm="Misskey", error="invalid_token", error_description="/);
		});

		it('a token in body i authenticates', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { token });
			assert.equal(response.status, 200);
			assert.deepEqual(response.body, []);
		});

		it('a Bearer token authenticates without body i', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { bearer: token });
			assert.equal(response.status, 200);
		});

		it('the Bearer header wins over body i: a valid header with an unknown i succeeds', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { bearer: token, token: 'no-such-token' });
			assert.equal(response.status, 200);
		});

		it('the Bearer header wins over body i: an unknown header with a valid i fails', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { bearer: 'no-such-token', token });
			assert.equal(response.status, 401);
			assert.equal(response.body.error.code, 'AUTHENTICATION_FAILED');
		});

		it('the Bearer scheme is case-sensitive: a lower-case "bearer" header is ignored', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { headers: { authorization: `bearer ${token}` } });
			assert.equal(response.status, 401);
			assert.equal(response.body.error.code, 'CREDENTIAL_REQUIRED');
		});

		it('a non-string i gets a bare 400 with no body', async () => {
			const response = await api.call('i/webhooks/list', { i: 42 });
			assert.equal(response.status, 400);
			assert.equal(response.rawBody, '');
		});

		it('i: null counts as no credential', async () => {
			const response = await api.call('i/webhooks/list', { i: null });
			assert.equal(response.status, 401);
			assert.equal(response.body.error.code, 'CREDENTIAL_REQUIRED');
		});
	});

	describe('checks in the order of the table', () => {
		it('a suspended user gets YOUR_ACCOUNT_SUSPENDED (403, kind permission)', async () => {
			const { token } = api.host.addUserWithToken({ isSuspended: true });
			const response = await api.call('i/webhooks/list', {}, { token });
			assert.equal(response.status, 403);
			assert.deepEqual(response.body.error, { message: 'Your account has been suspended.', code: 'YOUR_ACCOUNT_SUSPENDED', id: 'a8c724b3-6e9c-4b46-b1a8-bc3ed6258370', kind: 'permission' });
		});

		it('suspension is checked before params: a suspended user with bad params still gets YOUR_ACCOUNT_SUSPENDED', async () => {
			const { token } = api.host.addUserWithToken({ isSuspended: true });
			const response = await api.call('i/webhooks/create', { name: '' }, { token });
			assert.equal(response.body.error.code, 'YOUR_ACCOUNT_SUSPENDED');
		});

		it('an app token lacking write:account gets PERMISSION_DENIED (403) with an insufficient_scope challenge', async () => {
			const user = api.host.addUser();
			const token = api.host.issueToken(user, { native: false, permissions: ['read:account'] });
			const response = await api.call('i/webhooks/create', validCreate, { token });
			assert.equal(response.status, 403);
			assert.deepEqual(response.body.error, {
				message: 'Your app does not have the necessary permissions to use this endpoint.',
				code: 'PERMISSION_DENIED',
				id: '1370e5b7-d4eb-4566-bb1d-7748ee6a1838',
				kind: 'permission',
			});
			assert.match(String(response.headers['www-authenticate']), /^Bearer realm="Misskey", error="insufficient_scope"/);
			assert.equal(await api.store.countByUser(user.id), 0);
		});

		it('an app token holding the endpoint kind may call it', async () => {
			const user = api.host.addUser();
			const token = api.host.issueToken(user, { native: false, permissions: ['write:account'] });
			const response = await api.call('i/webhooks/create', validCreate, { token });
			assert.equal(response.status, 200);
			assert.equal(response.body.userId, user.id);
		});

		it('permission is checked before params: an app token without the kind and bad params gets PERMISSION_DENIED', async () => {
			const user = api.host.addUser();
			const token = api.host.issueToken(user, { native: false, permissions: [] });
			const response = await api.call('i/webhooks/create', {}, { token });
			assert.equal(response.body.error.code, 'PERMISSION_DENIED');
		});

		it('on a secure endpoint an anonymous caller gets ACCESS_DENIED (400), not CREDENTIAL_REQUIRED', async () => {
			const response = await api.call('i/webhooks/test', { webhookId: 'abc', type: 'note' });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, { message: 'Access denied.', code: 'ACCESS_DENIED', id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e', kind: 'client' });
		});

		it('an unknown token fails authentication before the secure check', async () => {
			const response = await api.call('i/webhooks/test', { webhookId: 'abc', type: 'note' }, { token: 'no-such-token' });
			assert.equal(response.body.error.code, 'AUTHENTICATION_FAILED');
		});

		it('a suspended user calling a secure endpoint with a native token gets YOUR_ACCOUNT_SUSPENDED', async () => {
			const { token } = api.host.addUserWithToken({ isSuspended: true });
			const response = await api.call('i/webhooks/test', { webhookId: 'abc', type: 'note' }, { token });
			assert.equal(response.body.error.code, 'YOUR_ACCOUNT_SUSPENDED');
		});
	});

	describe('params', () => {
		it('INVALID_PARAM names the schema path of the first failure and its reason, with an invalid_request challenge', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/create', { ...validCreate, name: '' }, { token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, {
				message: 'Invalid param.',
				code: 'INVALID_PARAM',
				id: '3d81ceae-475f-4600-b2a8-2bc116157532',
				kind: 'client',
				info: { param: '#/properties/name/minLength', reason: 'must NOT have fewer than 1 characters' },
			});
			assert.equal(response.headers['www-authenticate'], 'Bearer realm="Misskey", error="invalid_request", error_description="Invalid param."');
		});

		it('a body that is a JSON array fails param validation', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/list', {}, { bearer: token, rawPayload: '[]', headers: { 'content-type': 'application/json' } });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error.info, { param: '#/type', reason: 'must be object' });
		});

		it('a webhookId outside the misskey:id format fails with INVALID_PARAM', async () => {
			const { token } = api.host.addUserWithToken();
			const response = await api.call('i/webhooks/show', { webhookId: 'not-an-id!' }, { token });
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, '#/properties/webhookId/format');
		});
	});

	describe('internal errors', () => {
		it('a handler failure becomes INTERNAL_ERROR (500) with a fresh id that is logged, and no stack in the reply', async () => {
			const user = api.host.addUser();
			const token = api.host.issueToken(user);
			const original = api.host.webhookLimit;
			api.host.webhookLimit = async () => { throw new TypeError('role service unavailable'); };
			try {
				const response = await api.call('i/webhooks/create', validCreate, { token });
				assert.equal(response.status, 500);
				const { error } = response.body;
				assert.equal(error.code, 'INTERNAL_ERROR');
				assert.equal(error.id, '5d37dbcb-891e-41ca-a3d6-e690c97775ac');
				assert.equal(error.kind, 'server');
				assert.deepEqual(Object.keys(error.info.e).sort(), ['code', 'id', 'message']);
				assert.equal(error.info.e.message, 'role service unavailable');
				assert.equal(error.info.e.code, 'TypeError');
				assert.match(error.info.e.id, uuidPattern);
				assert.doesNotMatch(response.rawBody, /at .*\.ts:\d+/);
				assert.equal(response.headers['www-authenticate'], undefined);
				const logged = api.errorLogs.find((entry) => entry.e?.id === error.info.e.id);
				assert.ok(logged, 'the error id is logged');
				assert.match(logged.e.stack, /role service unavailable/);
			} finally {
				api.host.webhookLimit = original;
			}
		});

		it('each internal error gets its own id', async () => {
			const { token } = api.host.addUserWithToken();
			const original = api.host.webhookLimit;
			api.host.webhookLimit = async () => { throw new Error('down'); };
			try {
				const first = await api.call('i/webhooks/create', validCreate, { token });
				const second = await api.call('i/webhooks/create', validCreate, { token });
				assert.notEqual(first.body.error.info.e.id, second.body.error.info.e.id);
			} finally {
				api.host.webhookLimit = original;
			}
		});

		it('a failing authentication lookup becomes INTERNAL_ERROR, not AUTHENTICATION_FAILED', async () => {
			const original = api.host.authenticate;
			api.host.authenticate = async () => { throw new Error('token store unavailable'); };
			try {
				const response = await api.call('i/webhooks/list', {}, { token: 'any' });
				assert.equal(response.status, 500);
				assert.equal(response.body.error.code, 'INTERNAL_ERROR');
			} finally {
				api.host.authenticate = original;
			}
		});
	});
});
