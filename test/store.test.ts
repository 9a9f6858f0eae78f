import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { WebhookStore, type NewWebhook } from '../src/store/webhook-store.js';
import { generateId } from '../src/store/id.js';
import { createMigratedDataSource } from './support/database.js';
import { deliveryOptionDefaults, noteFilterDefaults, splitDeliveryOptionColumns } from './support/delivery-option-columns.js';

describe('WebhookStore', () => {
	let dataSource: DataSource;
	let store: WebhookStore;

	/** A valid new webhook of a fresh owner; each test overrides only what it is about. */
	const newWebhook = (overrides: Partial<NewWebhook> = {}): NewWebhook => ({
		userId: generateId(),
		name: 'my hook',
		url: 'https://receiver.example/hook',
		secret: 'shh',
		on: ['note', 'reply'],
		...overrides,
	});

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
	});

	after(async () => {
		await dataSource.destroy();
	});

	describe('create', () => {
		it('stores an active webhook with no delivery status yet and returns it', async () => {
			const input = newWebhook();
			const row = await store.create(input);
			assert.match(row.id, /^[a-zA-Z0-9]+$/);
			assert.ok(row.id.length <= 32);
			const notPaused = { pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null };
			const returned = splitDeliveryOptionColumns(row);
			assert.deepEqual(returned.others, { id: row.id, ...input, active: true, latestSentAt: null, latestStatus: null, ...notPaused });
			assert.deepEqual(returned.options, { ...deliveryOptionDefaults, ...noteFilterDefaults });
			const [stored] = await dataSource.query('SELECT * FROM "webhook" WHERE "id" = $1', [row.id]);
			const storedColumns = splitDeliveryOptionColumns(stored);
			assert.deepEqual(storedColumns.others, { id: row.id, userId: input.userId, name: 'my hook', url: input.url, secret: 'shh', on: ['note', 'reply'], active: true, latestSentAt: null, latestStatus: null, ...notPaused });
			assert.deepEqual(storedColumns.options, { ...deliveryOptionDefaults, ...noteFilterDefaults });
		});

		it('stores the delivery options it is given', async () => {
			const options = { retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: true, excludeFollowersNotes: true } as const;
			const row = await store.create(newWebhook(options));
			const stored = await store.findOwned(row.id, row.userId);
			assert.deepEqual(splitDeliveryOptionColumns({ ...stored }).options, { ...deliveryOptionDefaults, ...options });
			assert.deepEqual({ ...stored }, { ...row });
		});

		it('accepts an empty secret and an empty on', async () => {
			const row = await store.create(newWebhook({ secret: '', on: [] }));
			const found = await store.findOwned(row.id, row.userId);
			assert.equal(found?.secret, '');
			assert.deepEqual(found?.on, []);
		});

		it('gives each webhook its own id', async () => {
			const input = newWebhook();
			const first = await store.create(input);
			const second = await store.create(input);
			assert.notEqual(first.id, second.id);
			assert.equal(await store.countByUser(input.userId), 2);
		});
	});

	describe('lookups by id', () => {
		it('finds a webhook by id together with its owner', async () => {
			const row = await store.create(newWebhook());
			const found = await store.findOwned(row.id, row.userId);
			assert.deepEqual({ ...found }, { ...row });
		});

		it('another user\'s webhook looks missing', async () => {
			const row = await store.create(newWebhook());
			assert.equal(await store.findOwned(row.id, generateId()), null);
		});

		it('an unknown id is missing', async () => {
			assert.equal(await store.findOwned(generateId(), generateId()), null);
		});

		it('listByUser returns every webhook of the user and no other', async () => {
			const userId = generateId();
			const mine = [await store.create(newWebhook({ userId })), await store.create(newWebhook({ userId, name: 'second' }))];
			await store.create(newWebhook());
			const listed = await store.listByUser(userId);
			assert.deepEqual(listed.map((row) => row.id).sort(), mine.map((row) => row.id).sort());
		});
	});

	describe('update', () => {
		it('changes only the given keys and returns the fresh row', async () => {
			const row = await store.create(newWebhook());
			const updated = await store.update(row.id, row.userId, { name: 'renamed', on: ['mention'] });
			assert.deepEqual({ ...updated }, { ...row, name: 'renamed', on: ['mention'] });
			assert.deepEqual({ ...(await store.findOwned(row.id, row.userId)) }, { ...row, name: 'renamed', on: ['mention'] });
		});

		it('can deactivate a webhook, and change url and secret', async () => {
			const row = await store.create(newWebhook());
			const updated = await store.update(row.id, row.userId, { active: false, url: 'https://other.example/', secret: '' });
			assert.deepEqual({ ...updated }, { ...row, active: false, url: 'https://other.example/', secret: '' });
		});

		it('with no changes returns the row untouched', async () => {
			const row = await store.create(newWebhook());
			assert.deepEqual({ ...(await store.update(row.id, row.userId, {})) }, { ...row });
		});

		it('of another user\'s webhook returns null and changes nothing', async () => {
			const row = await store.create(newWebhook());
			assert.equal(await store.update(row.id, generateId(), { name: 'stolen' }), null);
			assert.equal((await store.findOwned(row.id, row.userId))?.name, 'my hook');
		});
	});

	describe('delete', () => {
		it('removes the webhook and returns it as it was', async () => {
			const row = await store.create(newWebhook());
			await store.update(row.id, row.userId, { active: false });
			const deleted = await store.delete(row.id, row.userId);
			assert.deepEqual({ ...deleted }, { ...row, active: false });
			assert.equal(await store.findOwned(row.id, row.userId), null);
		});

		it('of another user\'s webhook returns null and keeps it', async () => {
			const row = await store.create(newWebhook());
			assert.equal(await store.delete(row.id, generateId()), null);
			assert.notEqual(await store.findOwned(row.id, row.userId), null);
		});

		it('deleteByUser removes every webhook of the user, returns them, and keeps the others', async () => {
			const userId = generateId();
			const mine = [await store.create(newWebhook({ userId })), await store.create(newWebhook({ userId }))];
			const other = await store.create(newWebhook());
			const deleted = await store.deleteByUser(userId);
			assert.deepEqual(deleted.map((row) => row.id).sort(), mine.map((row) => row.id).sort());
			assert.deepEqual(await store.listByUser(userId), []);
			assert.notEqual(await store.findOwned(other.id, other.userId), null);
		});

		it('deleteByUser of a user without webhooks returns nothing', async () => {
			assert.deepEqual(await store.deleteByUser(generateId()), []);
		});
	});

	describe('counts and the active list', () => {
		it('countByUser counts the user\'s webhooks, active or not', async () => {
			const userId = generateId();
			assert.equal(await store.countByUser(userId), 0);
			const first = await store.create(newWebhook({ userId }));
			await store.create(newWebhook({ userId }));
			await store.update(first.id, userId, { active: false });
			await store.create(newWebhook());
			assert.equal(await store.countByUser(userId), 2);
		});

		it('listActive returns every active webhook of every user and no inactive one', async () => {
			const active = [await store.create(newWebhook()), await store.create(newWebhook())];
			const inactive = await store.create(newWebhook());
			await store.update(inactive.id, inactive.userId, { active: false });
			const listedIds = new Set((await store.listActive()).map((row) => row.id));
			for (const row of active) assert.ok(listedIds.has(row.id), `active ${row.id} listed`);
			assert.ok(!listedIds.has(inactive.id));
			const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM "webhook" WHERE "active"');
			assert.equal(listedIds.size, count);
		});

		it('listActive revives latestSentAt as a Date', async () => {
			const row = await store.create(newWebhook());
			const sentAt = new Date('2025-09-08T10:00:00.123Z');
			await store.repository.update({ id: row.id }, { latestSentAt: sentAt, latestStatus: 503 });
			const listed = (await store.listActive()).find((candidate) => candidate.id === row.id);
			assert.ok(listed?.latestSentAt instanceof Date);
			assert.equal(listed.latestSentAt.getTime(), sentAt.getTime());
			assert.equal(listed.latestStatus, 503);
		});
	});
});
