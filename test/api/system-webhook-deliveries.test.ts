import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import type { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';

const schemas = createSchemaValidator();
const DAY_MS = 24 * 60 * 60 * 1000;

const errors = {
	noSuchSystemWebhookOnList: { status: 404, code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '01c55c35-cefa-4dad-bd26-c3b42b704164' },
	noSuchSystemWebhookOnRecover: { status: 404, code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '0db1f585-faa6-44e7-9e22-acee3608a95e' },
	noSuchDeliveryOnShow: { status: 400, code: 'NO_SUCH_DELIVERY', id: '79264b55-1069-47c8-ae4b-b8f11e150042' },
	noSuchDeliveryOnRedeliver: { status: 400, code: 'NO_SUCH_DELIVERY', id: 'e48522f7-9ed0-412c-a859-0452f93e73b7' },
	noSuchSystemWebhookOnRedeliver: { status: 404, code: 'NO_SUCH_SYSTEM_WEBHOOK', id: 'c61d6c2d-0622-46bf-9793-6bcede78d252' },
	sinceTooOld: { status: 400, code: 'RECOVER_SINCE_TOO_OLD', id: 'ee0a27d8-4041-4e6a-bb56-2a8e9309b4e7' },
	rolePermissionDenied: { status: 403, code: 'ROLE_PERMISSION_DENIED', id: 'd33d5333-db36-423d-a8f9-1a2b9549da41' },
	accessDenied: { status: 400, code: 'ACCESS_DENIED', id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e' },
};

describe('admin/system-webhook/deliveries/*: the delivery API for system webhooks', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	let moderator: { userId: string; token: string };

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 503, body: 'busy' } : { status: 204 }));
		moderator = newModerator(api);
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	async function systemHookAt(path: string): Promise<SystemWebhookEntity> {
		const { id } = await createSystemHook(api, moderator.token, { url: receiver.url(path) });
		return (await api.systemStore.findById(id))!;
	}

	async function deliverOnce(hook: SystemWebhookEntity): Promise<string> {
		await api.systemDelivery.enqueue([hook], 'userCreated', { id: 'u1', username: 'alice' });
		const rows = await eventually(() => api.systemDelivery.deliveries.listByWebhook('system', hook.id, { limit: 100 }), (found) => found.length > 0 && found[0].status !== 'pending');
		await api.systemDelivery.flushRecords();
		return rows[0].id;
	}

	it('a moderator lists, shows, redelivers and recovers; no reply carries the secret', async () => {
		const hook = await systemHookAt('/system/fail');
		const deliveryId = await deliverOnce(hook);

		const listed = await api.call('admin/system-webhook/deliveries/list', { webhookId: hook.id }, { token: moderator.token });
		assert.equal(listed.status, 200);
		assert.deepEqual(listed.body.map((d: any) => [d.id, d.status, d.attemptCount, d.lastStatus]), [[deliveryId, 'failed', 2, 503]]);
		for (const item of listed.body) schemas.assert('WebhookDelivery', item);

		const shown = await api.call('admin/system-webhook/deliveries/show', { deliveryId }, { token: moderator.token });
		schemas.assert('WebhookDeliveryDetail', shown.body);
		assert.deepEqual(shown.body.body, { id: 'u1', username: 'alice' });
		assert.deepEqual(shown.body.attempts.map((a: any) => [a.number, a.status, a.responseBody]), [[1, 503, 'busy'], [2, 503, 'busy']]);

		const sent = receiver.requests.filter((r) => r.path === '/system/fail').length;
		assert.equal((await api.call('admin/system-webhook/deliveries/redeliver', { deliveryId }, { token: moderator.token })).status, 204);
		const [manual] = (await receiver.waitForRequests(sent + 1, 3000, '/system/fail')).slice(-1);
		assert.equal(manual.headers['webhook-id'], shown.body.eventId);
		assert.ok(!('userId' in manual.json), 'the system envelope');

		const recovered = await api.call('admin/system-webhook/deliveries/recover', { webhookId: hook.id, since: Date.now() - DAY_MS }, { token: moderator.token });
		assert.deepEqual(recovered.body, { count: 1 });
		await receiver.waitForRequests(sent + 2, 3000, '/system/fail');

		for (const reply of [listed, shown, recovered]) assert.ok(!reply.rawBody.includes(validSystemCreateParams.secret));
	});

	it('a user delivery is not a system delivery: show and redeliver answer NO_SUCH_DELIVERY', async () => {
		const { user, token } = api.host.addUserWithToken();
		const created = await api.call('i/webhooks/create', { name: 'mine', url: receiver.url('/user-side'), on: ['note'] }, { token });
		const userHook = (await api.store.findOwned(created.body.id, user.id))!;
		await api.delivery.enqueue([userHook], 'note', {});
		const [row] = await eventually(() => api.delivery.deliveries.listByWebhook('user', userHook.id, { limit: 1 }), (found) => found.length === 1);
		assert.deepEqual(errorOf(await api.call('admin/system-webhook/deliveries/show', { deliveryId: row.id }, { token: moderator.token })), errors.noSuchDeliveryOnShow);
		assert.deepEqual(errorOf(await api.call('admin/system-webhook/deliveries/redeliver', { deliveryId: row.id }, { token: moderator.token })), errors.noSuchDeliveryOnRedeliver);
	});

	it('unknown ids, a deleted webhook and a `since` too old get their own errors', async () => {
		const hook = await systemHookAt('/system-errors');
		const deliveryId = await deliverOnce(hook);
		const call = (name: string, params: Record<string, unknown>) => api.call(`admin/system-webhook/deliveries/${name}`, params, { token: moderator.token });
		assert.deepEqual(errorOf(await call('list', { webhookId: 'nosuchhook' })), errors.noSuchSystemWebhookOnList);
		assert.deepEqual(errorOf(await call('recover', { webhookId: 'nosuchhook', since: Date.now() })), errors.noSuchSystemWebhookOnRecover);
		assert.deepEqual(errorOf(await call('show', { deliveryId: 'nosuchdelivery' })), errors.noSuchDeliveryOnShow);
		assert.deepEqual(errorOf(await call('redeliver', { deliveryId: 'nosuchdelivery' })), errors.noSuchDeliveryOnRedeliver);
		assert.deepEqual(errorOf(await call('recover', { webhookId: hook.id, since: Date.now() - 15 * DAY_MS })), errors.sinceTooOld);
		await api.call('admin/system-webhook/delete', { id: hook.id }, { token: moderator.token });
		assert.deepEqual(errorOf(await call('redeliver', { deliveryId })), errors.noSuchSystemWebhookOnRedeliver);
		assert.equal((await call('show', { deliveryId })).status, 200, 'the log outlives the webhook until pruned');
	});

	for (const name of ['list', 'show', 'redeliver', 'recover']) {
		it(`${name}: a user without a moderator role gets ROLE_PERMISSION_DENIED; an app token gets ACCESS_DENIED`, async () => {
			const hook = await systemHookAt(`/access-${name}`);
			const params = name === 'list' ? { webhookId: hook.id } : name === 'recover' ? { webhookId: hook.id, since: Date.now() } : { deliveryId: 'anydelivery' };
			const { token } = api.host.addUserWithToken();
			assert.deepEqual(errorOf(await api.call(`admin/system-webhook/deliveries/${name}`, params, { token })), errors.rolePermissionDenied);
			const { user } = api.host.addUserWithToken({ isModerator: true });
			const appToken = api.host.issueToken(user, { native: false, permissions: ['read:admin:system-webhook', 'write:admin:system-webhook'] });
			assert.deepEqual(errorOf(await api.call(`admin/system-webhook/deliveries/${name}`, params, { token: appToken })), errors.accessDenied);
		});
	}
});
