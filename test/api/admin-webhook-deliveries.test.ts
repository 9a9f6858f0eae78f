import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator } from './system-webhook-fixture.js';

const schemas = createSchemaValidator();
const SECRET = 'owner-secret-never-shown';

const errors = {
	noSuchWebhookOnList: { status: 400, code: 'NO_SUCH_WEBHOOK', id: '25c14eec-34ef-4434-8b23-704240534482' },
	noSuchWebhookOnStats: { status: 400, code: 'NO_SUCH_WEBHOOK', id: 'ed82c394-9d42-439e-88c4-2e2c3d0bea34' },
	noSuchDeliveryOnShow: { status: 400, code: 'NO_SUCH_DELIVERY', id: '4536b20b-1196-4d51-bfb0-56a76736a596' },
	noSuchSystemWebhookOnStats: { status: 404, code: 'NO_SUCH_SYSTEM_WEBHOOK', id: 'ab19a161-863f-4b1b-a457-e6a0993e1b6a' },
	rolePermissionDenied: { status: 403, code: 'ROLE_PERMISSION_DENIED', id: 'd33d5333-db36-423d-a8f9-1a2b9549da41' },
	accessDenied: { status: 400, code: 'ACCESS_DENIED', id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e' },
};

const total = (buckets: any[], key: string) => buckets.reduce((sum: number, bucket: any) => sum + bucket[key], 0);

describe("admin/webhooks/deliveries/*: moderators read a user webhook's delivery log as its owner does", () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	let moderator: { userId: string; token: string };

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 500, body: 'receiver says no' } : { status: 200, body: 'ok' }));
		moderator = newModerator(api);
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	async function ownedHook(path: string): Promise<{ token: string; hook: WebhookEntity }> {
		const owner = newCaller(api);
		const { id } = await createHook(api, owner.token, { name: 'watched', url: receiver.url(path), on: ['note'], secret: SECRET });
		return { token: owner.token, hook: (await api.store.findOwned(id, owner.userId))! };
	}

	async function deliverOnce(hook: WebhookEntity): Promise<string> {
		await api.delivery.enqueue([hook], 'note', { note: { id: 'n1', text: 'hello' } });
		const rows = await eventually(() => api.delivery.deliveries.listByWebhook('user', hook.id, { limit: 100 }), (found) => found.length > 0 && found.every((row) => row.status !== 'pending'));
		await api.delivery.flushRecords();
		return rows[0].id;
	}

	it('list, show and stats answer what the owner sees, and never the secret', async () => {
		const { token, hook } = await ownedHook('/user/fail');
		const deliveryId = await deliverOnce(hook);
		const asModerator = (name: string, params: Record<string, unknown>) => api.call(`admin/webhooks/deliveries/${name}`, params, { token: moderator.token });
		const asOwner = (name: string, params: Record<string, unknown>) => api.call(`i/webhooks/deliveries/${name}`, params, { token });

		const listed = await asModerator('list', { webhookId: hook.id });
		assert.equal(listed.status, 200);
		for (const item of listed.body) schemas.assert('WebhookDelivery', item);
		// As the owner sees it, but the URL redacted to scheme and host: its path may be the receiver's credential.
		const redacted = `${new URL(hook.url).origin}/(redacted)`;
		const ownersList = (await asOwner('list', { webhookId: hook.id })).body;
		assert.equal(ownersList[0].url, hook.url);
		assert.deepEqual(listed.body, ownersList.map((item: any) => ({ ...item, url: redacted })));
		assert.deepEqual(listed.body.map((d: any) => [d.id, d.status, d.lastStatus]), [[deliveryId, 'failed', 500]]);

		const shown = await asModerator('show', { deliveryId });
		schemas.assert('WebhookDeliveryDetail', shown.body);
		assert.deepEqual(shown.body, { ...(await asOwner('show', { deliveryId })).body, url: redacted });
		assert.equal(shown.body.attempts.at(-1).responseBody, 'receiver says no');

		const stats = await asModerator('stats', { webhookId: hook.id });
		const counts = (buckets: any[]) => buckets.map(({ delivered, retried, failed }) => [delivered, retried, failed]);
		const owners = (await asOwner('stats', { webhookId: hook.id })).body;
		assert.deepEqual([counts(stats.body.hours), counts(stats.body.days)], [counts(owners.hours), counts(owners.days)]);
		assert.deepEqual([total(stats.body.hours, 'delivered'), total(stats.body.hours, 'retried'), total(stats.body.hours, 'failed')], [0, 1, 1]);

		for (const reply of [listed, shown, stats]) {
			assert.ok(!reply.rawBody.includes(SECRET));
			assert.ok(!reply.rawBody.includes('/user/fail'), 'nor the path of the URL');
		}
	});

	it('admin/system-webhook/deliveries/stats counts a system webhook\'s attempts', async () => {
		const { id } = await createSystemHook(api, moderator.token, { url: receiver.url('/system/ok') });
		const hook = (await api.systemStore.findById(id))!;
		await api.systemDelivery.enqueue([hook], 'userCreated', { id: 'u1', username: 'alice' });
		await eventually(() => api.systemDelivery.deliveries.listByWebhook('system', hook.id, { limit: 10 }), (found) => found.length === 1 && found[0].status === 'delivered');
		await api.systemDelivery.flushRecords();
		const stats = await api.call('admin/system-webhook/deliveries/stats', { webhookId: hook.id }, { token: moderator.token });
		assert.equal(stats.status, 200);
		assert.deepEqual([stats.body.hours.length, stats.body.days.length], [24, 14]);
		assert.deepEqual([total(stats.body.days, 'delivered'), total(stats.body.days, 'failed')], [1, 0]);
		assert.deepEqual(errorOf(await api.call('admin/system-webhook/deliveries/stats', { webhookId: 'nosuchhook' }, { token: moderator.token })), errors.noSuchSystemWebhookOnStats);
	});

	it('unknown ids, and a system delivery asked as a user one, get their own errors; a bad id is INVALID_PARAM', async () => {
		const asModerator = (name: string, params: Record<string, unknown>) => api.call(`admin/webhooks/deliveries/${name}`, params, { token: moderator.token });
		assert.deepEqual(errorOf(await asModerator('list', { webhookId: 'nosuchhook' })), errors.noSuchWebhookOnList);
		assert.deepEqual(errorOf(await asModerator('stats', { webhookId: 'nosuchhook' })), errors.noSuchWebhookOnStats);
		assert.deepEqual(errorOf(await asModerator('show', { deliveryId: 'nosuchdelivery' })), errors.noSuchDeliveryOnShow);
		const { id } = await createSystemHook(api, moderator.token, { url: receiver.url('/system/other') });
		const systemHook = (await api.systemStore.findById(id))!;
		await api.systemDelivery.enqueue([systemHook], 'userCreated', { id: 'u2', username: 'bob' });
		const [row] = await eventually(() => api.systemDelivery.deliveries.listByWebhook('system', systemHook.id, { limit: 1 }), (found) => found.length === 1);
		assert.deepEqual(errorOf(await asModerator('show', { deliveryId: row.id })), errors.noSuchDeliveryOnShow);
		const bad = await asModerator('list', { webhookId: 42 });
		assert.deepEqual([bad.status, bad.body.error.code], [400, 'INVALID_PARAM']);
	});

	for (const name of ['list', 'show', 'stats']) {
		it(`${name}: a user without a moderator role gets ROLE_PERMISSION_DENIED; an app token without the admin kind gets ACCESS_DENIED`, async () => {
			const { hook } = await ownedHook(`/access-${name}`);
			const params = name === 'show' ? { deliveryId: 'anydelivery' } : { webhookId: hook.id };
			const { token } = api.host.addUserWithToken();
			assert.deepEqual(errorOf(await api.call(`admin/webhooks/deliveries/${name}`, params, { token })), errors.rolePermissionDenied);
			const { user } = api.host.addUserWithToken({ isModerator: true });
			const appToken = api.host.issueToken(user, { native: false, permissions: ['read:account'] });
			assert.deepEqual(errorOf(await api.call(`admin/webhooks/deliveries/${name}`, params, { token: appToken })), errors.accessDenied);
		});
	}
});
