import { DataSource } from 'typeorm';
import { createWebhookModule, webhookEntities } from '../src/index.js';
import { idleBenchHost as host } from './bench-services.js';

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
const heapBefore = settledHeap();
const startedAt = performance.now();
const cpuAtStart = process.cpuUsage();
const webhooks = await createWebhookModule({ dataSource, host, serverUrl: 'https://bench.example', redisUrl, queuePrefix });
const startMs = performance.now() - startedAt;
// CPU time (every thread of the process, the collector's included) says what the start costs when other work
// shares the machine and stretches the wall-clock figure.
const cpu = process.cpuUsage(cpuAtStart);
const heapAfter = settledHeap();
await webhooks.close();
await dataSource.destroy();
process.send?.({ startMs, startCpuMs: (cpu.user + cpu.system) / 1000, heapBytes: heapAfter - heapBefore });
process.disconnect?.();
