import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createWebhookModule, type HostAdapter, type WebhookModule } from '../src/index.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

// What the transactional intake costs a host's write, and what it does to the end-to-end delivery rate. Every figure
// is a ratio against a baseline measured in the same run: the machine is shared and noisy.
//   BENCH_DATABASE_URL=... BENCH_REDIS_URL=... npx tsx bench/intake.ts
const WRITES = Number(process.env.BENCH_INTAKE_WRITES ?? 2000);
const EVENTS = Number(process.env.BENCH_INTAKE_EVENTS ?? 2000);
const CONCURRENCY = 16;
const HOOKS = 3;
const OWNER = 'bench-intake-owner';

/** A host adapter that packs every note the same small way (the bench measures the module, not a host's packers). */
const host: HostAdapter = {
	authenticate: async () => null,
	isThreadMuted: async () => false,
	packNote: async (noteId) => ({ id: noteId, createdAt: new Date().toISOString(), text: 'bench', userId: OWNER, visibility: 'public' }) as never,
	packUserLite: async (userId) => ({ id: userId, username: userId }) as never,
	packUserDetailed: async (userId) => ({ id: userId, username: userId }) as never,
};

interface Latencies {
	p50: number;
	p99: number;
	perSecond: number;
}

async function timeWrites(count: number, write: (index: number) => Promise<void>): Promise<Latencies> {
	const took: number[] = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
		while (next < count) {
			const index = next++;
			const at = performance.now();
			await write(index);
			took.push(performance.now() - at);
		}
	}));
	const seconds = (performance.now() - started) / 1000;
	took.sort((a, b) => a - b);
	return { p50: round(took[Math.floor(took.length * 0.5)]), p99: round(took[Math.floor(took.length * 0.99)]), perSecond: Math.round(count / seconds) };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** A receiver that counts distinct `webhook-id`s and resolves once it has `expected`. */
function receiverOf(): { url: string; server: http.Server; received(expected: number): Promise<void>; reset(): void } {
	let seen = new Set<string>();
	let waiter: { expected: number; resolve(): void } | null = null;
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			seen.add(String(req.headers['webhook-id']));
			res.writeHead(204).end();
			if (waiter && seen.size >= waiter.expected) waiter.resolve();
		});
	});
	server.listen(0, '127.0.0.1');
	return {
		get url() { return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`; },
		server,
		received: (expected) => new Promise<void>((resolve) => {
			if (seen.size >= expected) resolve();
			else waiter = { expected, resolve };
		}),
		reset: () => { seen = new Set(); waiter = null; },
	};
}

export async function benchIntake(): Promise<Record<string, unknown>> {
	const dataSource = await openBenchDatabase({ max: 32 });
	// Stands for the host's own table: one row per note.
	await dataSource.query(`CREATE TABLE IF NOT EXISTS "bench_host_note" ("id" varchar(32) PRIMARY KEY, "text" text NOT NULL)`);
	const receiver = receiverOf();
	await new Promise((resolve) => receiver.server.once('listening', resolve));
	const store = new WebhookStore(dataSource);
	for (let hook = 0; hook < HOOKS; hook++) await store.create({ userId: OWNER, name: `bench ${hook}`, url: receiver.url, secret: 'bench', on: ['note'] });
	const queuePrefix = `mw-bench-intake-${randomBytes(4).toString('hex')}`;
	let webhooks: WebhookModule | null = null;
	try {
		webhooks = await createWebhookModule({ dataSource, host, serverUrl: 'https://bench.example', redisUrl, queuePrefix, allowedPrivateNetworks: ['127.0.0.0/8'], workerConcurrency: 64, concurrencyPerTargetHost: 64 });
		const module_ = webhooks;
		const event = (id: string) => ({ note: { id, userId: OWNER, visibility: 'public' as const } });
		const noteId = (label: string, index: number) => `${label}${index}-${randomBytes(3).toString('hex')}`;
		const insertNote = (query: { query(sql: string, parameters: unknown[]): Promise<unknown> }, id: string) =>
			query.query(`INSERT INTO "bench_host_note" ("id", "text") VALUES ($1, 'bench')`, [id]);

		// 1. The host's write alone, with no worker running (nothing else competes for the database).
		await timeWrites(200, (index) => dataSource.transaction((manager) => insertNote(manager, noteId('w', index)).then(() => undefined)));
		const baseline = await timeWrites(WRITES, (index) => dataSource.transaction((manager) => insertNote(manager, noteId('b', index)).then(() => undefined)));
		const withIntake = await timeWrites(WRITES, (index) => dataSource.transaction(async (manager) => {
			const id = noteId('i', index);
			await insertNote(manager, id);
			await module_.events.noteCreated(event(id), { transaction: manager });
		}));
		await dataSource.query(`DELETE FROM "webhook_event_intake"`);

		// 2. End to end: events raised, then every delivery at the receiver, with the workers (and the relay) running.
		await module_.startWorkers();
		const endToEnd = async (label: string, raise: (id: string) => Promise<void>) => {
			receiver.reset();
			const started = performance.now();
			await timeWrites(EVENTS, (index) => raise(noteId(label, index)));
			await receiver.received(EVENTS * HOOKS);
			return Math.round((EVENTS * HOOKS) / ((performance.now() - started) / 1000));
		};
		await endToEnd('warm', async (id) => { await module_.events.noteCreated(event(id)); });
		const directRate = await endToEnd('d', async (id) => {
			await insertNote(dataSource, id);
			await module_.events.noteCreated(event(id));
		});
		const intakeRate = await endToEnd('t', (id) => dataSource.transaction(async (manager) => {
			await insertNote(manager, id);
			await module_.events.noteCreated(event(id), { transaction: manager });
		}));

		const figures = {
			writes: WRITES,
			concurrency: CONCURRENCY,
			hostWriteMs: { baseline, withIntake },
			hostWriteP50Ratio: round(withIntake.p50 / baseline.p50),
			hostWriteThroughputRatio: round(withIntake.perSecond / baseline.perSecond),
			endToEnd: { events: EVENTS, webhooksPerEvent: HOOKS, directDeliveriesPerSecond: directRate, intakeDeliveriesPerSecond: intakeRate, ratio: round(intakeRate / directRate) },
		};
		return figures;
	} finally {
		await webhooks?.close();
		receiver.server.close();
		await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "userId" = $1`, [OWNER]).catch(() => undefined);
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" = $1`, [OWNER]).catch(() => undefined);
		await dataSource.query(`DROP TABLE IF EXISTS "bench_host_note"`).catch(() => undefined);
		await dataSource.destroy();
		const redis = new Redis(redisUrl);
		const keys = await redis.keys(`${queuePrefix}:*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	console.log(JSON.stringify(await benchIntake(), null, 2));
	process.exit(0);
}
