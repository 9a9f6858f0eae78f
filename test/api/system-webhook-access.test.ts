import assert from 'node:assert/strict';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';

/** The calling convention's errors as these endpoints meet them. */
const accessDenied = { status: 400, code: 'ACCESS_DENIED', id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e' };
const rolePermissionDenied = { status: 403, code: 'ROLE_PERMISSION_DENIED', id: 'd33d5333-db36-423d-a8f9-1a2b9549da41' };
const authenticationFailed = { status: 401, code: 'AUTHENTICATION_FAILED', id: 'b0a7f5f8-dc2f-4171-b91f-de88ad238e14' };

describe('admin/system-webhook/*: who may call them (requireCredential, requireModerator, secure)', () => {
	let api: ApiHarness;
	let existingId: string;
	let moderator: { userId: string; token: string };

	before(async () => {
		api = await startApiHarness();
		moderator = newModerator(api);
		existingId = (await createSystemHook(api, moderator.token)).id;
	});
	after(async () => {
		await api.close();
	});

	// Valid params for each endpoint, so the only reason to refuse is the caller.
	const endpoints: Array<{ name: string; kind: string; params: (id: string) => Record<string, unknown> }> = [
		{ name: 'admin/system-webhook/create', kind: 'write:admin:system-webhook', params: () => validSystemCreateParams },
		{ name: 'admin/system-webhook/update', kind: 'write:admin:system-webhook', params: (id) => ({ ...validSystemCreateParams, id }) },
		{ name: 'admin/system-webhook/delete', kind: 'write:admin:system-webhook', params: (id) => ({ id }) },
		{ name: 'admin/system-webhook/list', kind: 'write:admin:system-webhook', params: () => ({}) },
		{ name: 'admin/system-webhook/show', kind: 'write:admin:system-webhook', params: (id) => ({ id }) },
		{ name: 'admin/system-webhook/test', kind: 'read:admin:system-webhook', params: (id) => ({ webhookId: id, type: 'userCreated' }) },
	];

	for (const endpoint of endpoints) {
		describe(endpoint.name, () => {
			it('a user without a moderator role gets ROLE_PERMISSION_DENIED (403) and changes nothing', async () => {
				const { token } = api.host.addUserWithToken();
				const before = await api.systemStore.list();
				const response = await api.call(endpoint.name, endpoint.params(existingId), { token });
				assert.deepEqual(errorOf(response), rolePermissionDenied);
				assert.equal(response.body.error.kind, 'permission');
				assert.deepEqual(await api.systemStore.list(), before);
			});

			it("a moderator's app token gets ACCESS_DENIED, even with the endpoint's permission kind", async () => {
				const { user } = api.host.addUserWithToken({ isModerator: true });
				const appToken = api.host.issueToken(user, { native: false, permissions: [endpoint.kind] });
				assert.deepEqual(errorOf(await api.call(endpoint.name, endpoint.params(existingId), { token: appToken })), accessDenied);
			});

			it('an anonymous call gets ACCESS_DENIED (secure is checked before the credential, as in Misskey)', async () => {
				assert.deepEqual(errorOf(await api.call(endpoint.name, endpoint.params(existingId))), accessDenied);
			});

			it('an unknown token gets AUTHENTICATION_FAILED', async () => {
				assert.deepEqual(errorOf(await api.call(endpoint.name, endpoint.params(existingId), { token: 'no-such-token' })), authenticationFailed);
			});

			it('a moderator with a native token is served', async () => {
				const { id } = await createSystemHook(api, moderator.token);
				const response = await api.call(endpoint.name, endpoint.params(id), { token: moderator.token });
				assert.ok([200, 204].includes(response.status), `${response.status} ${response.rawBody}`);
			});
		});
	}
});
