import assert from 'node:assert/strict';
import { DEFAULT_WEBHOOK_LIMIT } from '../../src/api/endpoints/i/webhooks/create.js';
import { startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';

describe('the webhook limit holds under concurrency', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
	});
	after(async () => api.close());

	/** Fires `count` creates for one token at once and returns their statuses and error codes. */
	async function createInParallel(token: string, count: number): Promise<Array<{ status: number; code?: string }>> {
		const responses = await Promise.all(Array.from({ length: count }, (_, i) =>
			api.call('i/webhooks/create', { ...validCreateParams, name: `hook ${i}` }, { token })));
		return responses.map((response) => ({ status: response.status, code: response.body?.error?.code }));
	}

	it('50 parallel creates with the default limit store exactly the limit; every other one gets TOO_MANY_WEBHOOKS', async () => {
		const { user, token } = api.host.addUserWithToken();
		const results = await createInParallel(token, 50);
		assert.equal(results.filter((r) => r.status === 200).length, DEFAULT_WEBHOOK_LIMIT);
		assert.deepEqual([...new Set(results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.code}`))], ['400 TOO_MANY_WEBHOOKS']);
		assert.equal(await api.store.countByUser(user.id), DEFAULT_WEBHOOK_LIMIT);
		assert.equal(api.registry.match(user.id, 'note').length, DEFAULT_WEBHOOK_LIMIT);
	});

	it('holds round after round and for a host-given limit, and one owner does not block another', async () => {
		const first = api.host.addUserWithToken();
		const second = api.host.addUserWithToken();
		api.host.setWebhookLimit(second.user, 7);
		for (let round = 0; round < 3; round++) {
			await Promise.all([createInParallel(first.token, 20), createInParallel(second.token, 20)]);
			assert.equal(await api.store.countByUser(first.user.id), DEFAULT_WEBHOOK_LIMIT);
			assert.equal(await api.store.countByUser(second.user.id), 7);
			// Free one place each: the next round may fill exactly that one again.
			const [a] = await api.store.listByUser(first.user.id);
			const [b] = await api.store.listByUser(second.user.id);
			assert.equal((await api.call('i/webhooks/delete', { webhookId: a.id }, { token: first.token })).status, 204);
			assert.equal((await api.call('i/webhooks/delete', { webhookId: b.id }, { token: second.token })).status, 204);
		}
	});
});
