import assert from 'node:assert/strict';
import type { WebhookPausedBy } from '../../src/store/webhook.entity.js';
import { createHook, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';
import { moderate, newModerator } from './admin-webhooks-fixture.js';
import { createSystemHook } from './system-webhook-fixture.js';

const failingSince = new Date('2025-09-01T00:00:00.000Z');
const pausedAt = new Date('2025-09-06T00:00:00.000Z');
const autoReason = 'Every delivery failed for 5 days; the last one exhausted its retries (503 Service Unavailable).';

describe('re-activating a webhook the module paused clears its record', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness();
	});
	after(async () => {
		await api.close();
	});

	/** A webhook of a fresh owner, paused by the module as the recorder would leave it. */
	async function pausedHook(pausedBy: Exclude<WebhookPausedBy, 'moderator'>, reason = autoReason): Promise<{ id: string; token: string }> {
		const { token } = newCaller(api);
		const { id } = await createHook(api, token);
		await api.store.repository.update({ id }, { active: false, pausedBy, pausedReason: reason, pausedAt, failingSince });
		await api.registry.announce('webhookUpdated', (await api.store.findById(id))!);
		return { id, token };
	}

	const pauseRecord = async (id: string) => {
		const row = await api.store.repository.findOneByOrFail({ id });
		return { active: row.active, pausedBy: row.pausedBy, pausedReason: row.pausedReason, pausedAt: row.pausedAt, failingSince: row.failingSince };
	};
	const cleared = { active: true, pausedBy: null, pausedReason: null, pausedAt: null, failingSince: null };

	describe('user webhooks', () => {
		it('the owner sees an auto pause and its reason in show and list', async () => {
			const { id, token } = await pausedHook('auto');
			const shown = await api.call('i/webhooks/show', { webhookId: id }, { token });
			assert.deepEqual([shown.body.active, shown.body.pausedBy, shown.body.pausedReason, shown.body.pausedAt], [false, 'auto', autoReason, pausedAt.toISOString()]);
			const listed = await api.call('i/webhooks/list', {}, { token });
			assert.deepEqual(listed.body.map((hook: any) => [hook.id, hook.pausedBy, hook.pausedReason]), [[id, 'auto', autoReason]]);
		});

		it("the owner's `active: true` re-activates an auto pause and clears the pause and the failure streak", async () => {
			const { id, token } = await pausedHook('auto');
			const response = await api.call('i/webhooks/update', { webhookId: id, active: true }, { token });
			assert.equal(response.status, 204, response.rawBody);
			assert.deepEqual(await pauseRecord(id), cleared);
		});

		it("the owner's `active: true` re-activates a 410 pause likewise", async () => {
			const { id, token } = await pausedHook('gone', 'The receiver answered 410 Gone: the endpoint says it is gone for good, so no more deliveries are sent.');
			assert.equal((await api.call('i/webhooks/update', { webhookId: id, active: true }, { token })).status, 204);
			assert.deepEqual(await pauseRecord(id), cleared);
		});

		it('re-activation is announced: the registry matches the webhook again', async () => {
			const { id, token } = await pausedHook('auto');
			const { userId } = (await api.store.findById(id))!;
			assert.deepEqual(api.registry.match(userId, 'note'), []);
			await api.call('i/webhooks/update', { webhookId: id, active: true }, { token });
			assert.deepEqual(api.registry.match(userId, 'note').map((hook) => hook.id), [id]);
		});

		it('editing a webhook that is on keeps its running failure streak, even when the edit repeats `active: true`', async () => {
			const { token } = newCaller(api);
			const { id } = await createHook(api, token);
			await api.store.repository.update({ id }, { failingSince });
			assert.equal((await api.call('i/webhooks/update', { webhookId: id, name: 'renamed', active: true }, { token })).status, 204);
			assert.deepEqual((await pauseRecord(id)).failingSince, failingSince);
		});

		it('switching a failing webhook off and on again starts afresh', async () => {
			const { token } = newCaller(api);
			const { id } = await createHook(api, token);
			await api.store.repository.update({ id }, { failingSince });
			await api.call('i/webhooks/update', { webhookId: id, active: false }, { token });
			assert.deepEqual((await pauseRecord(id)).failingSince, failingSince, 'switching off keeps the record');
			await api.call('i/webhooks/update', { webhookId: id, active: true }, { token });
			assert.equal((await pauseRecord(id)).failingSince, null);
		});

		it("the owner's other edits leave the module's pause and the streak as they are", async () => {
			const { id, token } = await pausedHook('auto');
			assert.equal((await api.call('i/webhooks/update', { webhookId: id, name: 'renamed' }, { token })).status, 204);
			assert.deepEqual(await pauseRecord(id), { active: false, pausedBy: 'auto', pausedReason: autoReason, pausedAt, failingSince });
		});

		it("a moderator's resume clears an auto pause and the failure streak", async () => {
			const { id } = await pausedHook('auto');
			await moderate(api, newModerator(api).token, { webhookId: id, active: true });
			assert.deepEqual(await pauseRecord(id), cleared);
		});
	});

	describe('system webhooks', () => {
		async function pausedSystemHook(token: string): Promise<any> {
			const hook = await createSystemHook(api, token);
			await api.systemStore.repository.update({ id: hook.id }, { isActive: false, pausedBy: 'auto', pausedReason: autoReason, pausedAt, failingSince });
			await api.registry.announceSystem('systemWebhookUpdated', (await api.systemStore.findById(hook.id))!);
			return hook;
		}
		const systemPauseRecord = async (id: string) => {
			const row = await api.systemStore.repository.findOneByOrFail({ id });
			return { isActive: row.isActive, pausedBy: row.pausedBy, pausedReason: row.pausedReason, pausedAt: row.pausedAt, failingSince: row.failingSince };
		};
		const update = (token: string, hook: any, changes: Record<string, unknown>) =>
			api.call('admin/system-webhook/update', { id: hook.id, isActive: hook.isActive, name: hook.name, on: hook.on, url: hook.url, ...changes }, { token });

		it('`admin/system-webhook/update` with `isActive: true` re-activates a paused one and clears the pause and the streak', async () => {
			const { token } = newModerator(api);
			const hook = await pausedSystemHook(token);
			const response = await update(token, hook, { isActive: true });
			assert.equal(response.status, 200, response.rawBody);
			assert.equal(response.body.isActive, true);
			assert.deepEqual(await systemPauseRecord(hook.id), { isActive: true, pausedBy: null, pausedReason: null, pausedAt: null, failingSince: null });
			assert.deepEqual(api.registry.matchSystem('abuseReport').filter((row) => row.id === hook.id).length, 1);
		});

		it('saving a system webhook that is on keeps its running failure streak', async () => {
			const { token } = newModerator(api);
			const hook = await createSystemHook(api, token);
			await api.systemStore.repository.update({ id: hook.id }, { failingSince });
			assert.equal((await update(token, hook, { name: 'renamed' })).status, 200);
			assert.deepEqual((await systemPauseRecord(hook.id)).failingSince, failingSince);
		});

		it('saving a paused one that stays off keeps the pause, so moderators still see why', async () => {
			const { token } = newModerator(api);
			const hook = await pausedSystemHook(token);
			assert.equal((await update(token, hook, { isActive: false, name: 'renamed' })).status, 200);
			assert.deepEqual(await systemPauseRecord(hook.id), { isActive: false, pausedBy: 'auto', pausedReason: autoReason, pausedAt, failingSince });
		});
	});
});
