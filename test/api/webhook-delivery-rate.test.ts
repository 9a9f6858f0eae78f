import assert from 'node:assert/strict';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { createSystemHook, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';

// deliveryRate and deliveryBurst (docs/rate-limits.md): set, changed and cleared through create and update of both
// kinds; a value out of range or of the wrong type is INVALID_PARAM in Misskey's envelope, naming the param.
describe('webhook delivery rate params (i/webhooks/*, admin/system-webhook/*)', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});
	after(async () => {
		await api.close();
	});

	it('a user webhook keeps the rate and burst it was given; update changes one, leaves an absent one, and null clears it', async () => {
		const { token } = newCaller(api);
		const created = await createHook(api, token, { ...validCreateParams, deliveryRate: 2.5, deliveryBurst: 5 });
		assert.deepEqual([created.deliveryRate, created.deliveryBurst], [2.5, 5]);
		const update = (params: Record<string, unknown>) => api.call('i/webhooks/update', { webhookId: created.id, ...params }, { token });
		assert.equal((await update({ deliveryRate: 0.25 })).status, 204);
		let shown = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
		assert.deepEqual([shown.deliveryRate, shown.deliveryBurst], [0.25, 5]);
		assert.equal((await update({ deliveryBurst: null, name: 'renamed' })).status, 204);
		shown = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
		assert.deepEqual([shown.deliveryRate, shown.deliveryBurst], [0.25, null]);
		assert.equal((await update({ deliveryRate: null })).status, 204);
		const [listed] = (await api.call('i/webhooks/list', {}, { token })).body;
		assert.deepEqual([listed.deliveryRate, listed.deliveryBurst], [null, null]);
	});

	it('a system webhook takes them too, at create and update', async () => {
		const { token } = newModerator(api);
		const created = await createSystemHook(api, token, { deliveryRate: 1, deliveryBurst: 3 });
		assert.deepEqual([created.deliveryRate, created.deliveryBurst], [1, 3]);
		const updated = await api.call('admin/system-webhook/update', { ...validSystemCreateParams, id: created.id, deliveryRate: 1000, deliveryBurst: 1 }, { token });
		assert.equal(updated.status, 200, updated.rawBody);
		assert.deepEqual([updated.body.deliveryRate, updated.body.deliveryBurst], [1000, 1]);
	});

	const bad: Array<[string, Record<string, unknown>, string]> = [
		['a rate of 0', { deliveryRate: 0 }, '#/properties/deliveryRate/minimum'],
		['a negative rate', { deliveryRate: -1 }, '#/properties/deliveryRate/minimum'],
		['a rate over 1000 a second', { deliveryRate: 1001 }, '#/properties/deliveryRate/maximum'],
		['a rate as text', { deliveryRate: '5/s' }, '#/properties/deliveryRate/type'],
		['a burst of 0', { deliveryBurst: 0 }, '#/properties/deliveryBurst/minimum'],
		['a fractional burst', { deliveryBurst: 1.5 }, '#/properties/deliveryBurst/type'],
		['a burst over 1000', { deliveryBurst: 1001 }, '#/properties/deliveryBurst/maximum'],
		['a burst as an array', { deliveryBurst: [5] }, '#/properties/deliveryBurst/type'],
	];
	for (const [what, params, param] of bad) {
		it(`${what} gets INVALID_PARAM naming ${param}, on user and system webhooks, at create and update, and changes nothing`, async () => {
			const { userId, token } = newCaller(api);
			const moderator = newModerator(api);
			const hook = await createHook(api, token, { ...validCreateParams, deliveryRate: 3 });
			const system = await createSystemHook(api, moderator.token, { deliveryRate: 3 });
			const replies = [
				await api.call('i/webhooks/create', { ...validCreateParams, ...params }, { token }),
				await api.call('i/webhooks/update', { webhookId: hook.id, ...params }, { token }),
				await api.call('admin/system-webhook/create', { ...validSystemCreateParams, ...params }, { token: moderator.token }),
				await api.call('admin/system-webhook/update', { ...validSystemCreateParams, id: system.id, ...params }, { token: moderator.token }),
			];
			for (const reply of replies) {
				assert.equal(reply.status, 400, reply.rawBody);
				assert.equal(reply.body.error.code, 'INVALID_PARAM');
				assert.equal(reply.body.error.id, '3d81ceae-475f-4600-b2a8-2bc116157532');
				assert.equal(reply.body.error.info.param, param);
			}
			assert.equal(await api.store.countByUser(userId), 1);
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).body.deliveryRate, 3);
			assert.equal((await api.call('admin/system-webhook/show', { id: system.id }, { token: moderator.token })).body.deliveryRate, 3);
		});
	}
});
