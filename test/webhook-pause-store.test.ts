import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { WebhookStore, type NewWebhook } from '../src/store/webhook-store.js';
import { generateId } from '../src/store/id.js';
import { createMigratedDataSource } from './support/database.js';

describe('WebhookStore: pauses by moderators', () => {
	let dataSource: DataSource;
	let store: WebhookStore;

	const newWebhook = (overrides: Partial<NewWebhook> = {}): NewWebhook => ({
		userId: generateId(),
		name: 'my hook',
		url: 'https://receiver.example/hook',
		secret: 'shh',
		on: ['note'],
		...overrides,
	});

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
	});

	after(async () => {
		await dataSource.destroy();
	});

	describe('pauseByModerator and resumeByModerator', () => {
		it('pausing stores who, why and when, deactivates, and returns the fresh row', async () => {
			const row = await store.create(newWebhook());
			const moderatorId = generateId();
			const at = new Date('2025-09-08T12:00:00.000Z');
			const paused = await store.pauseByModerator(row.id, moderatorId, 'spam', at);
			assert.deepEqual({ ...paused }, { ...row, active: false, pausedBy: 'moderator', pausedReason: 'spam', pausedAt: at, pausedByUserId: moderatorId });
		});

		it('resuming clears every pause column and re-activates', async () => {
			const row = await store.create(newWebhook());
			await store.pauseByModerator(row.id, generateId(), 'spam');
			assert.deepEqual({ ...(await store.resumeByModerator(row.id)) }, { ...row });
		});

		it('either returns null for an unknown id', async () => {
			assert.equal(await store.pauseByModerator(generateId(), generateId(), null), null);
			assert.equal(await store.resumeByModerator(generateId()), null);
		});
	});

	describe('updateByOwner', () => {
		it('applies the changes and returns the fresh row', async () => {
			const row = await store.create(newWebhook());
			const outcome = await store.updateByOwner(row.id, row.userId, { name: 'renamed' });
			assert.equal(outcome.kind, 'updated');
			assert.deepEqual({ ...(outcome.kind === 'updated' ? outcome.row : {}) }, { ...row, name: 'renamed' });
		});

		it("another user's webhook is missing and stays unchanged", async () => {
			const row = await store.create(newWebhook());
			assert.deepEqual(await store.updateByOwner(row.id, generateId(), { active: true, name: 'x' }), { kind: 'missing' });
			assert.deepEqual(await store.updateByOwner(row.id, generateId(), { name: 'x' }), { kind: 'missing' });
			assert.equal((await store.findById(row.id))?.name, 'my hook');
		});

		it('refuses active: true as a whole while a moderator pause stands', async () => {
			const row = await store.create(newWebhook());
			const paused = await store.pauseByModerator(row.id, generateId(), 'spam');
			assert.deepEqual(await store.updateByOwner(row.id, row.userId, { active: true, name: 'x', secret: 'y' }), { kind: 'pausedByModerator' });
			assert.deepEqual({ ...(await store.findById(row.id)) }, { ...paused });
		});

		it('applies anything else while paused, and the pause stays', async () => {
			const row = await store.create(newWebhook());
			await store.pauseByModerator(row.id, generateId(), 'spam');
			const outcome = await store.updateByOwner(row.id, row.userId, { active: false, name: 'x', on: ['reply'] });
			assert.equal(outcome.kind, 'updated');
			const stored = await store.findById(row.id);
			assert.deepEqual([stored?.name, stored?.on, stored?.active, stored?.pausedBy], ['x', ['reply'], false, 'moderator']);
		});

		it('re-activating clears a pause that is not a moderator\'s', async () => {
			const row = await store.create(newWebhook());
			await store.repository.update({ id: row.id }, { active: false, pausedBy: 'gone', pausedReason: '410', pausedAt: new Date() });
			const outcome = await store.updateByOwner(row.id, row.userId, { active: true });
			assert.equal(outcome.kind, 'updated');
			assert.deepEqual({ ...(await store.findById(row.id)) }, { ...row });
		});

		it('with no changes returns the row, or missing', async () => {
			const row = await store.create(newWebhook());
			assert.deepEqual(await store.updateByOwner(row.id, row.userId, {}), { kind: 'updated', row: await store.findById(row.id) });
			assert.deepEqual(await store.updateByOwner(row.id, generateId(), {}), { kind: 'missing' });
		});
	});
});
