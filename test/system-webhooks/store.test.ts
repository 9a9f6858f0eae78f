import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { SystemWebhookStore, type NewSystemWebhook } from '../../src/store/system-webhook-store.js';
import { createMigratedDataSource } from '../support/database.js';
import { deliveryOptionDefaults, splitDeliveryOptionColumns } from '../support/delivery-option-columns.js';

const valid: NewSystemWebhook = { isActive: true, name: 'moderation feed', on: ['abuseReport'], url: 'https://receiver.example/system', secret: 's3cret' };

describe('SystemWebhookStore', () => {
	let dataSource: DataSource;
	let store: SystemWebhookStore;

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new SystemWebhookStore(dataSource);
	});
	beforeEach(async () => {
		await dataSource.query('DELETE FROM "system_webhook"');
	});
	after(async () => {
		await dataSource.destroy();
	});

	it('create stores the row with no delivery status and updatedAt now, and returns it', async () => {
		const before = Date.now();
		const row = await store.create(valid);
		const stored = await store.findById(row.id);
		assert.ok(stored);
		assert.deepEqual({ ...stored, updatedAt: undefined }, { ...row, updatedAt: undefined });
		assert.equal(stored.latestSentAt, null);
		assert.equal(stored.latestStatus, null);
		assert.ok(stored.updatedAt.getTime() >= before - 1 && stored.updatedAt.getTime() <= Date.now());
		assert.deepEqual(splitDeliveryOptionColumns(stored).options, deliveryOptionDefaults);
		assert.deepEqual([stored.pausedBy, stored.pausedReason, stored.pausedAt], [null, null, null]);
	});

	it('create stores the delivery options it is given', async () => {
		const row = await store.create({ ...valid, retryPolicy: 'misskey', sendSecretHeader: false });
		const stored = await store.findById(row.id);
		assert.deepEqual(splitDeliveryOptionColumns({ ...stored }).options, { ...deliveryOptionDefaults, retryPolicy: 'misskey', sendSecretHeader: false });
	});

	it('findById of an unknown id is null', async () => {
		assert.equal(await store.findById('nosuchid'), null);
	});

	it('list returns every row by id ascending, whatever the insertion order', async () => {
		const ids = ['c1', 'a1', 'b1'];
		for (const id of ids) {
			await store.repository.insert({ ...valid, id, updatedAt: new Date(), latestSentAt: null, latestStatus: null });
		}
		assert.deepEqual((await store.list()).map((row) => row.id), ['a1', 'b1', 'c1']);
	});

	it('list filters by isActive', async () => {
		const active = await store.create(valid);
		const inactive = await store.create({ ...valid, isActive: false });
		assert.deepEqual((await store.list({ isActive: true })).map((row) => row.id), [active.id]);
		assert.deepEqual((await store.list({ isActive: false })).map((row) => row.id), [inactive.id]);
	});

	it('list with on keeps the rows subscribed to every given type, not to just one of them', async () => {
		const both = await store.create({ ...valid, on: ['userCreated', 'abuseReport', 'abuseReportResolved'] });
		await store.create({ ...valid, on: ['abuseReport'] });
		await store.create({ ...valid, on: [] });
		assert.deepEqual((await store.list({ on: ['abuseReport', 'userCreated'] })).map((row) => row.id), [both.id]);
		assert.equal((await store.list({ on: ['abuseReport'] })).length, 2);
		assert.equal((await store.list({ on: [] })).length, 3, 'an empty on filters nothing');
	});

	it('update changes the given columns, sets updatedAt and returns the fresh row', async () => {
		const row = await store.create(valid);
		await new Promise((resolve) => setTimeout(resolve, 5));
		const updated = await store.update(row.id, { isActive: false, name: 'renamed', on: ['userCreated'], url: 'https://other.example/' });
		assert.ok(updated);
		assert.equal(updated.isActive, false);
		assert.equal(updated.name, 'renamed');
		assert.deepEqual(updated.on, ['userCreated']);
		assert.equal(updated.url, 'https://other.example/');
		assert.ok(updated.updatedAt.getTime() > row.updatedAt.getTime());
	});

	it('update without a secret keeps the stored secret; with one replaces it', async () => {
		const row = await store.create(valid);
		assert.equal((await store.update(row.id, { name: 'x' }))?.secret, 's3cret');
		assert.equal((await store.update(row.id, { secret: '' }))?.secret, '');
	});

	it('update of an unknown id returns null and writes nothing', async () => {
		assert.equal(await store.update('nosuchid', { name: 'x' }), null);
		assert.deepEqual(await store.list(), []);
	});

	it('delete removes the row and returns it as it was; an unknown id returns null', async () => {
		const row = await store.create(valid);
		const deleted = await store.delete(row.id);
		assert.equal(deleted?.id, row.id);
		assert.equal(deleted?.secret, 's3cret');
		assert.equal(await store.findById(row.id), null);
		assert.equal(await store.delete(row.id), null);
	});

	it('listActive returns the active rows only', async () => {
		const active = await store.create(valid);
		await store.create({ ...valid, isActive: false });
		assert.deepEqual((await store.listActive()).map((row) => row.id), [active.id]);
	});
});
