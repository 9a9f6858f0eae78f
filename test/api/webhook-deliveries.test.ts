import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { RECOVER_MAX_DELIVERIES } from '../../src/api/params/recover-since.js';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';
import { errorOf } from './system-webhook-fixture.js';

const schemas = createSchemaValidator();
const DAY_MS = 24 * 60 * 60 * 1000;
const SECRET = 'owner-secret-4b1d';

const errors = {
	noSuchWebhookOnList: { status: 400, code: 'NO_SUCH_WEBHOOK', id: 'ca15288e-4912-4028-8b6b-cc6b5945b6d7' },
	noSuchWebhookOnRecover: { status: 400, code: 'NO_SUCH_WEBHOOK', id: 'a37d9675-256c-4fab-b57c-7d7a07697968' },
	noSuchDeliveryOnShow: { status: 400, code: 'NO_SUCH_DELIVERY', id: '3ff7b0e1-e72e-4a25-82dc-75cb26a4bc81' },
	noSuchDeliveryOnRedeliver: { status: 400, code: 'NO_SUCH_DELIVERY', id: '9d2a2afc-a01e-49fe-ae16-f29116413b49' },
	noSuchWebhookOnRedeliver: { status: 400, code: 'NO_SUCH_WEBHOOK', id: '88b0cc06-75d0-4148-bd64-cfd4639f4906' },
	sinceTooOld: { status: 400, code: 'RECOVER_SINCE_TOO_OLD', id: '649dcd14-bc18-49cc-8203-3996f77a2158' },
	invalidParam: { status: 400, code: 'INVALID_PARAM', id: '3d81ceae-475f-4600-b2a8-2bc116157532' },
	permissionDenied: { status: 403, code: 'PERMISSION_DENIED', id: '1370e5b7-d4eb-4566-bb1d-7748ee6a1838' },
	rateLimitExceeded: { status: 429, code: 'RATE_LIMIT_EXCEEDED', id: 'd5826d14-3982-4d2e-8011-b9e9f02499ef' },
};

describe('i/webhooks/deliveries/*: the delivery API for owners', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		// Paths ending in /fail always answer 500: two attempts (retryDelaysMs [10]), then the delivery has failed.
		receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }));
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	/** A caller with a webhook at `path` on the receiver. */
	async function ownerWithHook(path: string): Promise<{ token: string; userId: string; hook: WebhookEntity }> {
		const caller = newCaller(api);
		const { id } = await createHook(api, caller.token, { name: 'log', url: receiver.url(path), on: ['note'], secret: SECRET });
		return { ...caller, hook: (await api.store.findOwned(id, caller.userId))! };
	}

	/** Delivers one `note` event to `hook` and waits until its delivery is finished; returns its id. */
	async function deliverOnce(hook: WebhookEntity): Promise<string> {
		await api.delivery.enqueue([hook], 'note', { note: { id: 'n1', text: 'hello' } });
		const rows = await eventually(() => api.delivery.deliveries.listByWebhook('user', hook.id, { limit: 100 }), (found) => found.length > 0 && found[0].status !== 'pending');
		await api.delivery.flushRecords();
		return rows[0].id;
	}

	describe('list', () => {
		it("lists a webhook's deliveries newest first, without secret or body, each valid as WebhookDelivery", async () => {
			const { token, hook } = await ownerWithHook('/list');
			const ids = [await deliverOnce(hook), await deliverOnce(hook), await deliverOnce(hook)];
			const response = await api.call('i/webhooks/deliveries/list', { webhookId: hook.id }, { token });
			assert.equal(response.status, 200);
			assert.deepEqual(response.body.map((d: any) => d.id), [...ids].reverse());
			for (const item of response.body) schemas.assert('WebhookDelivery', item);
			assert.equal(response.body[0].status, 'delivered');
			assert.equal(response.body[0].attemptCount, 1);
			assert.equal(response.body[0].lastStatus, 200);
			assert.ok(!response.rawBody.includes(SECRET), 'the secret is never shown');
			assert.ok(!('body' in response.body[0]));
		});

		it('filters by status and pages with limit, sinceId and untilId', async () => {
			const { token, hook } = await ownerWithHook('/pages/fail');
			const ids = [await deliverOnce(hook), await deliverOnce(hook), await deliverOnce(hook), await deliverOnce(hook)];
			const list = async (params: Record<string, unknown>) => (await api.call('i/webhooks/deliveries/list', { webhookId: hook.id, ...params }, { token })).body.map((d: any) => d.id);
			assert.deepEqual(await list({ status: 'failed', limit: 2 }), [ids[3], ids[2]]);
			assert.deepEqual(await list({ untilId: ids[2] }), [ids[1], ids[0]]);
			assert.deepEqual(await list({ sinceId: ids[0], limit: 2 }), [ids[2], ids[1]], 'the page just above sinceId, newest first');
			assert.deepEqual(await list({ sinceId: ids[0], untilId: ids[3] }), [ids[2], ids[1]]);
			assert.deepEqual(await list({ status: 'delivered' }), []);
			assert.deepEqual(await list({ status: 'pending' }), []);
		});

		it("another user's webhook gets NO_SUCH_WEBHOOK, with this endpoint's own id", async () => {
			const { hook } = await ownerWithHook('/foreign-list');
			const stranger = newCaller(api);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/list', { webhookId: hook.id }, { token: stranger.token })), errors.noSuchWebhookOnList);
		});

		it('bad params get INVALID_PARAM: no webhookId, a limit over 100, an unknown status', async () => {
			const { token, hook } = await ownerWithHook('/bad-params');
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/list', {}, { token })), errors.invalidParam);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/list', { webhookId: hook.id, limit: 101 }, { token })), errors.invalidParam);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/list', { webhookId: hook.id, status: 'lost' }, { token })), errors.invalidParam);
		});
	});

	describe('show', () => {
		it('shows a delivery with its event body and every attempt, first to last, valid as WebhookDeliveryDetail', async () => {
			const { token, hook } = await ownerWithHook('/show/fail');
			const deliveryId = await deliverOnce(hook);
			const response = await api.call('i/webhooks/deliveries/show', { deliveryId }, { token });
			assert.equal(response.status, 200);
			schemas.assert('WebhookDeliveryDetail', response.body);
			assert.deepEqual(response.body.body, { note: { id: 'n1', text: 'hello' } });
			assert.equal(response.body.status, 'failed');
			assert.deepEqual(response.body.attempts.map((a: any) => [a.number, a.trigger, a.status, a.reason, a.responseBody]), [
				[1, 'scheduled', 500, '500 Internal Server Error', 'down'],
				[2, 'scheduled', 500, '500 Internal Server Error', 'down'],
			]);
			assert.ok(response.body.attempts[0].nextAttemptAt !== null && response.body.attempts[1].nextAttemptAt === null);
			assert.ok(!response.rawBody.includes(SECRET));
		});

		it("an unknown delivery, or another user's, gets NO_SUCH_DELIVERY", async () => {
			const { hook } = await ownerWithHook('/foreign-show');
			const deliveryId = await deliverOnce(hook);
			const stranger = newCaller(api);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/show', { deliveryId }, { token: stranger.token })), errors.noSuchDeliveryOnShow);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/show', { deliveryId: 'nosuchdelivery' }, { token: stranger.token })), errors.noSuchDeliveryOnShow);
		});
	});

	describe('redeliver', () => {
		it('sends one new attempt with the same webhook-id and body, logged as manual, without reopening the schedule', async () => {
			const { token, hook } = await ownerWithHook('/again/fail');
			const deliveryId = await deliverOnce(hook);
			const before = receiver.requests.filter((r) => r.path === '/again/fail');
			const response = await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token });
			assert.equal(response.status, 204);
			const requests = await receiver.waitForRequests(before.length + 1, 3000, '/again/fail');
			const [first, manual] = [before[0], requests[requests.length - 1]];
			assert.equal(manual.json.eventId, first.json.eventId);
			assert.equal(manual.headers['webhook-id'], first.headers['webhook-id']);
			assert.equal(manual.headers['webhook-id'], manual.json.eventId);
			assert.equal(manual.rawBody, first.rawBody, 'the same bytes');
			assert.equal((await receiver.settle(150)).filter((r) => r.path === '/again/fail').length, before.length + 1, 'a failed manual attempt is not retried');
			await api.delivery.flushRecords();
			const shown = (await api.call('i/webhooks/deliveries/show', { deliveryId }, { token })).body;
			assert.deepEqual(shown.attempts.map((a: any) => [a.number, a.trigger]), [[1, 'scheduled'], [2, 'scheduled'], [3, 'manual']]);
			assert.deepEqual([shown.status, shown.attemptCount], ['failed', 3]);
		});

		it('goes to the webhook as it is now: a fixed URL gets it, and the delivery counts as delivered', async () => {
			const { token, userId, hook } = await ownerWithHook('/broken/fail');
			const deliveryId = await deliverOnce(hook);
			await api.store.update(hook.id, userId, { url: receiver.url('/fixed') });
			assert.equal((await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token })).status, 204);
			const [request] = await receiver.waitForRequests(1, 3000, '/fixed');
			const row = await eventually(() => api.delivery.deliveries.findById(deliveryId), (found) => found?.status === 'delivered');
			assert.equal(request.json.eventId, row!.eventId);
		});

		it("another user's delivery gets NO_SUCH_DELIVERY; one whose webhook was deleted gets NO_SUCH_WEBHOOK", async () => {
			const { token, userId, hook } = await ownerWithHook('/redeliver-errors');
			const deliveryId = await deliverOnce(hook);
			const stranger = newCaller(api);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token: stranger.token })), errors.noSuchDeliveryOnRedeliver);
			await api.store.delete(hook.id, userId);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token })), errors.noSuchWebhookOnRedeliver);
		});

		it('needs write:account from an app; read:account is enough to read the log', async () => {
			const { userId, hook } = await ownerWithHook('/app-token');
			const deliveryId = await deliverOnce(hook);
			const user = { id: userId, isSuspended: false };
			const reader = api.host.issueToken(user, { native: false, permissions: ['read:account'] });
			const writer = api.host.issueToken(user, { native: false, permissions: ['write:account'] });
			assert.equal((await api.call('i/webhooks/deliveries/list', { webhookId: hook.id }, { token: reader })).status, 200);
			assert.equal((await api.call('i/webhooks/deliveries/show', { deliveryId }, { token: reader })).status, 200);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token: reader })), errors.permissionDenied);
			assert.equal((await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token: writer })).status, 204);
		});
	});

	describe('recover', () => {
		it('re-sends only the failed deliveries since `since`, and replies at once with how many', async () => {
			const { token, hook } = await ownerWithHook('/recover/fail');
			const older = await deliverOnce(hook);
			await api.dataSource.query(`UPDATE "webhook_delivery" SET "createdAt" = now() - interval '2 days' WHERE "id" = $1`, [older]);
			const failed = [await deliverOnce(hook), await deliverOnce(hook)];
			const delivered = await deliverOnce({ ...hook, url: receiver.url('/recover-ok') });
			const eventIds = async (ids: string[]) => Promise.all(ids.map(async (id) => (await api.delivery.deliveries.findById(id))!.eventId));
			receiver.clear();
			receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 500 } : { status: 200 }));
			const response = await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() - DAY_MS }, { token });
			assert.equal(response.status, 200);
			assert.deepEqual(response.body, { count: 2 });
			const requests = await receiver.waitForRequests(2, 3000);
			assert.deepEqual(new Set(requests.map((r) => r.json.eventId)), new Set(await eventIds(failed)));
			const others = await eventIds([older, delivered]);
			assert.ok((await receiver.settle(150)).every((r) => !others.includes(r.json.eventId)), 'neither the older nor the delivered one');
		});

		it('takes `since` as an ISO date-time too; anything else is INVALID_PARAM', async () => {
			const { token, hook } = await ownerWithHook('/recover-iso');
			const ok = await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: new Date(Date.now() - DAY_MS).toISOString() }, { token });
			assert.deepEqual([ok.status, ok.body], [200, { count: 0 }]);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: 'yesterday' }, { token })), errors.invalidParam);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: true }, { token })), errors.invalidParam);
		});

		it('reaches at most 14 days back: an older `since` gets RECOVER_SINCE_TOO_OLD naming the oldest accepted', async () => {
			const { token, hook } = await ownerWithHook('/recover-old');
			const response = await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() - 15 * DAY_MS }, { token });
			assert.deepEqual(errorOf(response), errors.sinceTooOld);
			const oldest = Date.parse(response.body.error.info.oldestSince);
			assert.ok(Math.abs(oldest - (Date.now() - 14 * DAY_MS)) < 60_000);
		});

		it("another user's webhook gets NO_SUCH_WEBHOOK, with this endpoint's own id", async () => {
			const { hook } = await ownerWithHook('/recover-foreign');
			const stranger = newCaller(api);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() }, { token: stranger.token })), errors.noSuchWebhookOnRecover);
		});

		it(`re-sends at most ${RECOVER_MAX_DELIVERIES} deliveries, the oldest first`, async () => {
			const { token, hook } = await ownerWithHook('/recover-cap/fail');
			await api.dataSource.query(
				`INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "webhookId", "userId", "eventId", "type", "body", "url", "secret", "retryPolicy", "status", "attempts", "maxAttempts", "createdAt")
				SELECT 'cap' || lpad(n::text, 8, '0'), 'user', $1, $2, $3, gen_random_uuid(), 'note', '{}', $4, '', 'standard', 'failed', 1, 1, now() - interval '1 hour'
				FROM generate_series(1, $5) AS n`,
				[api.options.queuePrefix, hook.id, hook.userId, hook.url, RECOVER_MAX_DELIVERIES + 5],
			);
			// This process stops taking jobs, so the count can be checked without sending ten thousand requests.
			await api.delivery.queue.pause(true);
			try {
				const response = await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() - DAY_MS }, { token });
				assert.deepEqual(response.body, { count: RECOVER_MAX_DELIVERIES });
				const queued = await eventually(() => api.delivery.queue.getWaitingCount(), (count) => count === RECOVER_MAX_DELIVERIES, 10_000);
				assert.equal(queued, RECOVER_MAX_DELIVERIES);
				const [first] = await api.delivery.queue.getWaiting(0, 0);
				assert.equal(first.data.deliveryId, 'cap00000001');
				assert.equal(first.data.trigger, 'manual');
			} finally {
				await api.delivery.queue.empty();
				await api.delivery.queue.resume(true);
			}
		});

		it('is rate limited: 10 calls per hour', async () => {
			const { token, hook } = await ownerWithHook('/recover-limit');
			for (let i = 0; i < 10; i++) assert.equal((await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() }, { token })).status, 200);
			assert.deepEqual(errorOf(await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() }, { token })), errors.rateLimitExceeded);
		});
	});
});
