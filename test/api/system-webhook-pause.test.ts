import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, newModerator } from './system-webhook-fixture.js';

describe('admin/system-webhook/* show the module\'s pause to moderators', () => {
	let api: ApiHarness;
	let moderator: { userId: string; token: string };
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		moderator = newModerator(api);
	});
	after(async () => {
		await api.close();
	});

	const call = (name: string, params: Record<string, unknown>) => api.call(`admin/system-webhook/${name}`, params, { token: moderator.token });

	/** Pauses the row as auto-disable or a 410 Gone does: inactive, with who, why and when. */
	async function pause(id: string, pausedBy: 'auto' | 'gone', pausedReason: string, pausedAt: Date): Promise<void> {
		await api.systemStore.repository.update({ id }, { isActive: false, pausedBy, pausedReason, pausedAt });
	}

	it('show and list answer who paused the webhook, why and when', async () => {
		const created = await createSystemHook(api, moderator.token);
		const pausedAt = new Date('2026-01-02T03:04:05.678Z');
		await pause(created.id, 'gone', 'the receiver answered 410 Gone', pausedAt);
		const shown = (await call('show', { id: created.id })).body;
		schemas.assert('SystemWebhook', shown);
		assert.deepEqual(
			{ isActive: shown.isActive, pausedBy: shown.pausedBy, pausedReason: shown.pausedReason, pausedAt: shown.pausedAt },
			{ isActive: false, pausedBy: 'gone', pausedReason: 'the receiver answered 410 Gone', pausedAt: '2026-01-02T03:04:05.678Z' },
		);
		const listed = (await call('list', {})).body.find((webhook: { id: string }) => webhook.id === created.id);
		assert.deepEqual(listed, shown);
	});

	it('an auto-disabled webhook says so; a moderator\'s isActive: true clears the pause keys to null', async () => {
		const created = await createSystemHook(api, moderator.token);
		await pause(created.id, 'auto', 'every delivery failed for 3 days', new Date());
		assert.equal((await call('show', { id: created.id })).body.pausedBy, 'auto');
		const { id, name, on, url, secret } = created;
		const response = await call('update', { id, isActive: true, name, on, url, secret });
		assert.equal(response.status, 200, response.rawBody);
		assert.deepEqual(
			{ isActive: response.body.isActive, pausedBy: response.body.pausedBy, pausedReason: response.body.pausedReason, pausedAt: response.body.pausedAt },
			{ isActive: true, pausedBy: null, pausedReason: null, pausedAt: null },
		);
	});
});
