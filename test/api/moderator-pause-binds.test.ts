import assert from 'node:assert/strict';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';
import { moderate, newModerator, pausedByModeratorErrorId } from './admin-webhooks-fixture.js';

describe("a moderator's pause binds every send and survives delete-and-recreate", () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
		receiver = await new TestReceiver().start();
		// Paths ending in /fail always answer 500, so their deliveries end failed and `recover` has something to re-send.
		receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 500 } : { status: 200 }));
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	/** An owner with a webhook at `path`, one finished delivery of it, and the webhook then paused by a moderator. */
	async function pausedWithDelivery(path: string): Promise<{ token: string; userId: string; hook: WebhookEntity; deliveryId: string; moderatorToken: string }> {
		const owner = newCaller(api);
		const { id } = await createHook(api, owner.token, { name: 'paused', url: receiver.url(path), on: ['note'] });
		const hook = (await api.store.findOwned(id, owner.userId))!;
		await api.delivery.enqueue([hook], 'note', { note: { id: 'n1' } });
		const rows = await eventually(() => api.delivery.deliveries.listByWebhook('user', id, { limit: 10 }), (found) => found.length > 0 && found[0].status !== 'pending');
		await api.delivery.flushRecords();
		const moderator = newModerator(api);
		await moderate(api, moderator.token, { webhookId: id, active: false, reason: 'spam receiver' });
		return { ...owner, hook, deliveryId: rows[0].id, moderatorToken: moderator.token };
	}

	function assertPausedRefusal(response: { status: number; body: any }): void {
		assert.equal(response.status, 400, JSON.stringify(response.body));
		assert.equal(response.body.error.code, 'WEBHOOK_PAUSED_BY_MODERATOR');
		assert.equal(response.body.error.id, pausedByModeratorErrorId);
	}

	it('refuses i/webhooks/test, with or without an override, and nothing reaches any receiver', async () => {
		const { token, hook } = await pausedWithDelivery('/test-paused');
		const before = receiver.requests.length;
		assertPausedRefusal(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token }));
		assertPausedRefusal(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { url: receiver.url('/elsewhere'), secret: 'x' } }, { token }));
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(receiver.requests.length, before);
	});

	it('refuses redeliver, even after the owner changed the URL', async () => {
		const { token, hook, deliveryId } = await pausedWithDelivery('/redeliver-paused');
		assertPausedRefusal(await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token }));
		const moved = await api.call('i/webhooks/update', { webhookId: hook.id, url: receiver.url('/moved') }, { token });
		assert.equal(moved.status, 204);
		const before = receiver.requests.length;
		assertPausedRefusal(await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token }));
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(receiver.requests.length, before);
	});

	it('refuses recover of failed deliveries', async () => {
		const { token, hook } = await pausedWithDelivery('/recover-fail');
		const response = await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() - 60_000 }, { token });
		assertPausedRefusal(response);
	});

	it('allows them all again once a moderator lifts the pause', async () => {
		const { token, hook, deliveryId, moderatorToken } = await pausedWithDelivery('/lifted');
		await moderate(api, moderatorToken, { webhookId: hook.id, active: true });
		assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token })).status, 204);
		assert.equal((await api.call('i/webhooks/deliveries/redeliver', { deliveryId }, { token })).status, 204);
		assert.equal((await api.call('i/webhooks/deliveries/recover', { webhookId: hook.id, since: Date.now() - 60_000 }, { token })).status, 200);
	});

	describe('delete and create again', () => {
		it('a webhook re-created to the same URL starts paused with the moderator\'s reason, and stays out of the registry', async () => {
			const { token, userId, hook } = await pausedWithDelivery('/recreated');
			assert.equal((await api.call('i/webhooks/delete', { webhookId: hook.id }, { token })).status, 204);
			// The URL as written differently but the same once normalized.
			const sameUrl = receiver.url('/recreated').replace('http://', 'HTTP://');
			const created = await createHook(api, token, { name: 'again', url: sameUrl, on: ['note'] });
			assert.equal(created.active, false);
			assert.equal(created.pausedBy, 'moderator');
			assert.equal(created.pausedReason, 'spam receiver');
			assert.deepEqual(api.registry.match(userId, 'note'), []);
			// The owner cannot lift it, and sends stay refused.
			assertPausedRefusal(await api.call('i/webhooks/update', { webhookId: created.id, active: true }, { token }));
			assertPausedRefusal(await api.call('i/webhooks/test', { webhookId: created.id, type: 'note' }, { token }));
		});

		it('the pause follows a URL change before the delete: both URLs come back paused', async () => {
			const { token, hook } = await pausedWithDelivery('/first-url');
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, url: receiver.url('/second-url') }, { token })).status, 204);
			assert.equal((await api.call('i/webhooks/delete', { webhookId: hook.id }, { token })).status, 204);
			const first = await createHook(api, token, { name: 'a', url: receiver.url('/first-url'), on: ['note'] });
			const second = await createHook(api, token, { name: 'b', url: receiver.url('/second-url'), on: ['note'] });
			assert.equal(first.pausedBy, 'moderator');
			assert.equal(second.pausedBy, 'moderator');
		});

		it("another URL, another owner's webhook at the same URL, and a URL whose pause was lifted start active", async () => {
			const { token, hook, moderatorToken } = await pausedWithDelivery('/other');
			const elsewhere = await createHook(api, token, { name: 'c', url: receiver.url('/not-paused'), on: ['note'] });
			assert.equal(elsewhere.active, true);
			const stranger = newCaller(api);
			assert.equal((await createHook(api, stranger.token, { name: 'd', url: receiver.url('/other'), on: ['note'] })).active, true);
			await moderate(api, moderatorToken, { webhookId: hook.id, active: true });
			assert.equal((await api.call('i/webhooks/delete', { webhookId: hook.id }, { token })).status, 204);
			const again = await createHook(api, token, { name: 'e', url: receiver.url('/other'), on: ['note'] });
			assert.equal(again.active, true);
			assert.equal(again.pausedBy, null);
		});

		it('a moderator lifting the pause of the re-created webhook frees that URL for good', async () => {
			const { token, hook, moderatorToken } = await pausedWithDelivery('/freed');
			await api.call('i/webhooks/delete', { webhookId: hook.id }, { token });
			const recreated = await createHook(api, token, { name: 'f', url: receiver.url('/freed'), on: ['note'] });
			assert.equal(recreated.pausedBy, 'moderator');
			await moderate(api, moderatorToken, { webhookId: recreated.id, active: true });
			await api.call('i/webhooks/delete', { webhookId: recreated.id }, { token });
			assert.equal((await createHook(api, token, { name: 'g', url: receiver.url('/freed'), on: ['note'] })).active, true);
		});
	});
});
