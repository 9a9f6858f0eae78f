import assert from 'node:assert/strict';
import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';

const HOUR_MS = 3600_000;

describe('i/webhooks/deliveries/stats: delivered, retried and failed per hour and per day', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		// /fail always answers 500: two attempts (retryDelaysMs [10]), the first retried, the second final.
		receiver.replyAlways((request) => (request.path.endsWith('/fail') ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }));
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	async function ownerWithHook(path: string): Promise<{ token: string; hook: WebhookEntity }> {
		const caller = newCaller(api);
		const { id } = await createHook(api, caller.token, { name: 'stats', url: receiver.url(path), on: ['note'] });
		return { token: caller.token, hook: (await api.store.findOwned(id, caller.userId))! };
	}

	async function deliverOnce(hook: WebhookEntity): Promise<void> {
		await api.delivery.enqueue([hook], 'note', { note: { id: 'n1', text: 'hello' } });
		await eventually(() => api.delivery.deliveries.listByWebhook('user', hook.id, { limit: 100 }), (found) => found.length > 0 && found.every((row) => row.status !== 'pending'));
		await api.delivery.flushRecords();
	}

	const total = (buckets: any[], key: string) => buckets.reduce((sum, bucket) => sum + bucket[key], 0);

	it('counts each attempt once in the last hour and the last day, oldest bucket first, 24 hours and 14 days', async () => {
		const ok = await ownerWithHook('/ok');
		const failing = await ownerWithHook('/fail');
		await deliverOnce(ok.hook);
		await deliverOnce(ok.hook);
		await deliverOnce(failing.hook);

		const before = Date.now();
		const stats = (await api.call('i/webhooks/deliveries/stats', { webhookId: ok.hook.id }, { token: ok.token })).body;
		assert.equal(stats.hours.length, 24);
		assert.equal(stats.days.length, 14);
		assert.deepEqual(stats.hours.at(-1), { ...stats.hours.at(-1), delivered: 2, retried: 0, failed: 0 });
		assert.deepEqual(stats.days.at(-1), { ...stats.days.at(-1), delivered: 2, retried: 0, failed: 0 });
		assert.equal(total(stats.hours, 'delivered'), 2, 'no other bucket counts them');
		assert.ok(Math.abs(Date.parse(stats.hours.at(-1).start) - (before - HOUR_MS)) < 5000, 'the last hour starts an hour ago');
		assert.ok(Date.parse(stats.hours[0].start) < Date.parse(stats.hours[1].start), 'oldest first');

		const failed = (await api.call('i/webhooks/deliveries/stats', { webhookId: failing.hook.id }, { token: failing.token })).body;
		assert.deepEqual([total(failed.hours, 'delivered'), total(failed.hours, 'retried'), total(failed.hours, 'failed')], [0, 1, 1]);
		assert.deepEqual([total(failed.days, 'delivered'), total(failed.days, 'retried'), total(failed.days, 'failed')], [0, 1, 1]);
	});

	it("another user's webhook looks missing, and a bad id is INVALID_PARAM, in Misskey's envelope", async () => {
		const { hook } = await ownerWithHook('/mine');
		const stranger = newCaller(api);
		const missing = await api.call('i/webhooks/deliveries/stats', { webhookId: hook.id }, { token: stranger.token });
		assert.equal(missing.status, 400);
		assert.equal(missing.body.error.code, 'NO_SUCH_WEBHOOK');
		assert.equal(missing.body.error.id, 'a06ca288-6466-4d82-976a-c6f0a7142c6d');
		const bad = await api.call('i/webhooks/deliveries/stats', { webhookId: 42 }, { token: stranger.token });
		assert.equal(bad.status, 400);
		assert.equal(bad.body.error.code, 'INVALID_PARAM');
	});
});
