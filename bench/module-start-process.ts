import { DataSource } from 'typeorm';
import { createWebhookModule, webhookEntities } from '../src/index.js';

// Run with --expose-gc by bench/memory.ts: creates the module on a database whose `webhook` table holds however many
// active webhooks the parent put there, and reports how long that took and how much heap it kept.
const [databaseUrl, redisUrl, queuePrefix] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settledHeap(): number {
	for (let i = 0; i < 3; i++) gc!();
	return process.memoryUsage().heapUsed;
}

const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, entities: [...webhookEntities] });
await dataSource.initialize();
const host = {
	authenticate: async () => null,
	isThreadMuted: async () => false,
	packNote: async () => { throw new Error('unused'); },
	packUserLite: async () => { throw new Error('unused'); },
	packUserDetailed: async () => { throw new Error('unused'); },
};
const heapBefore = settledHeap();
const startedAt = performance.now();
const webhooks = await createWebhookModule({ dataSource, host, serverUrl: 'https://bench.example', redisUrl, queuePrefix });
const startMs = performance.now() - startedAt;
const heapAfter = settledHeap();
await webhooks.close();
await dataSource.destroy();
process.send?.({ startMs, heapBytes: heapAfter - heapBefore });
process.disconnect?.();
