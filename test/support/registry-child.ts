import { DataSource } from 'typeorm';
import { webhookEntities } from '../../src/store/entities.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import type { UserWebhookEventType } from '../../src/events/catalogue.js';
import { testDatabaseUrl, testRedisUrl } from './env.js';

/** Messages between the registry suite and this second process (over the fork IPC channel). */
export type ToChild = { kind: 'watch'; ownerId: string; type: UserWebhookEventType } | { kind: 'stop' };
export type FromChild =
	| { kind: 'ready'; size: number }
	| { kind: 'matched'; ownerId: string; type: UserWebhookEventType; ids: string[] };

// A second process with its own WebhookRegistry on the channel the suite names; it reports whenever a watched match changes.
const channel = process.env.REGISTRY_CHILD_CHANNEL;
if (!channel || !process.send) throw new Error('run me with fork() and REGISTRY_CHILD_CHANNEL set');
const send = (message: FromChild) => process.send!(message);

const dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl, entities: webhookEntities });
await dataSource.initialize();
const registry = await WebhookRegistry.start({ store: new WebhookStore(dataSource), redisUrl: testRedisUrl, channel });

const watched = new Map<string, { ownerId: string; type: UserWebhookEventType; lastIds: string | null }>();
const report = () => {
	for (const watch of watched.values()) {
		const ids = registry.match(watch.ownerId, watch.type).map((row) => row.id);
		const key = ids.join(',');
		if (key === watch.lastIds) continue;
		watch.lastIds = key;
		send({ kind: 'matched', ownerId: watch.ownerId, type: watch.type, ids });
	}
};
const poll = setInterval(report, 1);

async function stop(): Promise<void> {
	clearInterval(poll);
	await registry.close();
	await dataSource.destroy();
	process.disconnect();
}

process.on('message', (message: ToChild) => {
	if (message.kind === 'watch') {
		watched.set(`${message.ownerId}\u0000${message.type}`, { ownerId: message.ownerId, type: message.type, lastIds: null });
		report();
		return;
	}
	stop().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
});

send({ kind: 'ready', size: registry.size });
