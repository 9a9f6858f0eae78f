import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { decodeInternalMessage, encodeWebhookChange } from '../src/registry/internal-event.js';
import { WebhookRegistry } from '../src/registry/webhook-registry.js';
import { SystemWebhookStore } from '../src/store/system-webhook-store.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import { createMigratedDataSource } from './support/database.js';
import { deliveryOptionDefaults, noteFilterDefaults, splitDeliveryOptionColumns } from './support/delivery-option-columns.js';
import { testRedisUrl } from './support/env.js';

/** A message as Misskey's `publishInternalEvent` would put it on the channel. */
function internal(type: string, body: unknown): string {
	return JSON.stringify({ channel: 'internal', message: { type, body } });
}

describe('registry: our columns survive the trip between processes', () => {
	let dataSource: DataSource;
	let store: WebhookStore;
	let systemStore: SystemWebhookStore;

	before(async () => {
		dataSource = await createMigratedDataSource();
		store = new WebhookStore(dataSource);
		systemStore = new SystemWebhookStore(dataSource);
	});

	after(async () => {
		await dataSource?.destroy();
	});

	/** A user row with every added column away from its default, as stored. */
	async function userRowWithEverything() {
		const row = await store.create({
			userId: randomUUID().slice(0, 8), name: 'n', url: 'https://r.example/', secret: 'new', on: ['note'],
			retryPolicy: 'misskey', sendSecretHeader: false, excludeSpecifiedNotes: true, excludeFollowersNotes: true,
		});
		await store.repository.update({ id: row.id }, {
			previousSecret: 'old', previousSecretExpiresAt: new Date('2030-01-02T03:04:05.678Z'), failingSince: new Date('2029-12-31T00:00:00.000Z'),
			latestSentAt: new Date('2029-12-31T01:00:00.000Z'), latestStatus: 503,
		});
		return store.repository.findOneByOrFail({ id: row.id });
	}

	it('a user row decodes to the row as stored, every added column included', async () => {
		const row = await userRowWithEverything();
		const decoded = decodeInternalMessage(encodeWebhookChange({ name: 'webhookUpdated', row }));
		assert.equal(decoded.kind, 'webhook-change');
		if (decoded.kind !== 'webhook-change') return;
		assert.deepEqual({ ...decoded.event.row }, { ...row });
	});

	it('a system row decodes to the row as stored, every added column included', async () => {
		const created = await systemStore.create({ isActive: true, name: 's', on: ['userCreated'], url: 'https://r.example/', secret: 'new', retryPolicy: 'misskey', sendSecretHeader: false });
		await systemStore.repository.update({ id: created.id }, {
			previousSecret: 'old', previousSecretExpiresAt: new Date('2030-01-02T03:04:05.678Z'), failingSince: new Date('2029-12-31T00:00:00.000Z'),
			pausedBy: 'auto', pausedReason: 'failing for 5 days', pausedAt: new Date('2030-01-01T00:00:00.000Z'),
		});
		const row = await systemStore.repository.findOneByOrFail({ id: created.id });
		const decoded = decodeInternalMessage(encodeWebhookChange({ name: 'systemWebhookUpdated', row }));
		assert.equal(decoded.kind, 'system-webhook-change');
		if (decoded.kind !== 'system-webhook-change') return;
		assert.deepEqual({ ...decoded.event.row }, { ...row });
	});

	it('a Misskey server\'s message, without our columns, gets their defaults', () => {
		const user = decodeInternalMessage(internal('webhookCreated', { id: 'w1', userId: 'u1', name: 'n', on: ['note'], url: 'https://r.example/', secret: 's', active: true, latestSentAt: null, latestStatus: null }));
		assert.equal(user.kind, 'webhook-change');
		if (user.kind === 'webhook-change') assert.deepEqual(splitDeliveryOptionColumns(user.event.row).options, { ...deliveryOptionDefaults, ...noteFilterDefaults });
		const system = decodeInternalMessage(internal('systemWebhookCreated', { id: 's1', isActive: true, updatedAt: '2025-09-08T00:00:00.000Z', latestSentAt: null, latestStatus: null, name: 'n', on: ['userCreated'], url: 'https://r.example/', secret: 's' }));
		assert.equal(system.kind, 'system-webhook-change');
		if (system.kind === 'system-webhook-change') assert.deepEqual(splitDeliveryOptionColumns(system.event.row).options, deliveryOptionDefaults);
	});

	it('an unknown retry preset or a non-boolean option falls back to the default rather than reaching a job', () => {
		const decoded = decodeInternalMessage(internal('webhookCreated', {
			id: 'w1', userId: 'u1', on: ['note'], active: true, retryPolicy: 'forever', sendSecretHeader: 'no', excludeSpecifiedNotes: 'yes', previousSecretExpiresAt: 'not a date',
		}));
		assert.equal(decoded.kind, 'webhook-change');
		if (decoded.kind !== 'webhook-change') return;
		const { retryPolicy, sendSecretHeader, excludeSpecifiedNotes, previousSecretExpiresAt } = decoded.event.row;
		assert.deepEqual({ retryPolicy, sendSecretHeader, excludeSpecifiedNotes, previousSecretExpiresAt }, { retryPolicy: 'standard', sendSecretHeader: true, excludeSpecifiedNotes: false, previousSecretExpiresAt: null });
	});

	it('another process\'s registry matches an announced webhook with its options, over Redis', async () => {
		const channel = `options-${randomUUID()}`;
		const publisher = await WebhookRegistry.start({ store, systemStore, redisUrl: testRedisUrl, channel });
		const listener = await WebhookRegistry.start({ store, systemStore, redisUrl: testRedisUrl, channel });
		try {
			const row = await userRowWithEverything();
			await publisher.announce('webhookCreated', row);
			const deadline = Date.now() + 2000;
			while (listener.match(row.userId, 'note').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
			const [heard] = listener.match(row.userId, 'note');
			assert.deepEqual({ ...heard }, { ...row });
		} finally {
			await publisher.close();
			await listener.close();
		}
	});
});
