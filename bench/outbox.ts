import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../src/config/options.js';
import { dummyUserWebhookBody } from '../src/api/packing/dummies.js';
import { UserWebhookDelivery } from '../src/delivery/user-webhook-delivery.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import type { WebhookEntity } from '../src/store/webhook.entity.js';
import { BenchReceiver } from './receiver-client.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

const JOBS = Number(process.env.BENCH_OUTBOX_JOBS ?? 10_000);
const WARMUP_JOBS = 1_000;
const ROUNDS = 3;
const CONCURRENCY = 64;
// Each enqueue call stands for one event reaching this many webhooks; a server raises events from many requests at once.
const TARGETS_PER_EVENT = 10;
const CONCURRENT_EVENTS = 8;
const WEBHOOK_COUNT = 200;
const RECEIVER_HOSTS = 8;
// The budget: the outbox, the attempt log and the signature may cost at most 20 % of throughput.
const TARGET_RATIO = 0.8;
const SERVER_URL = 'https://bench.example';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface OutboxBenchRound {
	/** First enqueue to the last request the receiver got. */
	seconds: number;
	deliveriesPerSecond: number;
	/** First enqueue to every outbox row written as delivered with its attempt (full side only). */
	loggedSeconds?: number;
}

export interface OutboxBenchFigures {
	jobs: number;
	rounds: number;
	concurrency: number;
	receiverHosts: number;
	targetsPerEvent: number;
	concurrentEvents: number;
	/** Delivery as Misskey does it: no outbox rows, no attempt log, no signature (empty secret). */
	plain: { best: OutboxBenchRound; rounds: OutboxBenchRound[] };
	/** The same deliveries with the outbox, the attempt log and Standard Webhooks signatures. */
	full: { best: OutboxBenchRound; rounds: OutboxBenchRound[]; rowsDelivered: number; attemptRows: number };
	/** full / plain deliveries per second, best against best, same run. */
	fullOverPlain: number;
	target: number;
}

/**
 * Deliveries/s of the same N deliveries with and without the outbox, attempt log and signature, in one run, against a
 * receiver in another process. Both sides use UserWebhookDelivery with the same concurrency,
 * receivers, payload and status writes; the rounds alternate so drift in the machine hits both.
 */
export async function benchOutbox(): Promise<OutboxBenchFigures> {
	const receiver = await BenchReceiver.start(RECEIVER_HOSTS);
	const dataSource = await openBenchDatabase();
	const benchOwner = `bench${randomUUID().replaceAll('-', '').slice(0, 16)}`;
	try {
		const store = new WebhookStore(dataSource);
		const createWebhooks = async (secret: string) => {
			const rows: WebhookEntity[] = [];
			for (let i = 0; i < WEBHOOK_COUNT; i++) rows.push(await store.create({ userId: benchOwner, name: `bench ${i}`, url: receiver.urls[i % receiver.urls.length], secret, on: ['note'] }));
			return rows;
		};
		const unsigned = await createWebhooks('');
		const signed = await createWebhooks(SIGNING_SECRET);
		const body = dummyUserWebhookBody('note');

		await runRound(receiver, dataSource, unsigned, body, WARMUP_JOBS, false);
		await runRound(receiver, dataSource, signed, body, WARMUP_JOBS, true);
		const plainRounds: OutboxBenchRound[] = [];
		const fullRounds: OutboxBenchRound[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			plainRounds.push(await runRound(receiver, dataSource, unsigned, body, JOBS, false));
			fullRounds.push(await runRound(receiver, dataSource, signed, body, JOBS, true));
		}
		const [{ rowsDelivered, attemptRows }] = await dataSource.query(
			`SELECT count(DISTINCT "d"."id")::int AS "rowsDelivered", count("a"."id")::int AS "attemptRows" FROM "webhook_delivery" "d" LEFT JOIN "webhook_delivery_attempt" "a" ON "a"."deliveryId" = "d"."id" WHERE "d"."userId" = $1 AND "d"."status" = 'delivered'`,
			[benchOwner],
		);
		const plainBest = fastest(plainRounds);
		const fullBest = fastest(fullRounds);
		const figures: OutboxBenchFigures = {
			jobs: JOBS,
			rounds: ROUNDS,
			concurrency: CONCURRENCY,
			receiverHosts: RECEIVER_HOSTS,
			targetsPerEvent: TARGETS_PER_EVENT,
			concurrentEvents: CONCURRENT_EVENTS,
			plain: { best: plainBest, rounds: plainRounds },
			full: { best: fullBest, rounds: fullRounds, rowsDelivered, attemptRows },
			fullOverPlain: round2(fullBest.deliveriesPerSecond / plainBest.deliveriesPerSecond),
			target: TARGET_RATIO,
		};
		printTable(figures);
		await mkdir(new URL('./results/', import.meta.url), { recursive: true });
		await writeFile(new URL('./results/outbox.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
		return figures;
	} finally {
		await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "userId" = $1`, [benchOwner]).catch(() => undefined);
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" = $1`, [benchOwner]).catch(() => undefined);
		await dataSource.destroy();
		await receiver.stop();
	}
}

/** One round on a fresh queue: `jobs` deliveries raised as events of TARGETS_PER_EVENT webhooks, CONCURRENT_EVENTS at a time. */
async function runRound(receiver: BenchReceiver, dataSource: DataSource, webhooks: WebhookEntity[], body: unknown, jobs: number, outbox: boolean): Promise<OutboxBenchRound> {
	const options = normalizeOptions({ serverUrl: SERVER_URL, redisUrl, queuePrefix: `bench-outbox-${randomUUID()}`, workerConcurrency: CONCURRENCY, allowedPrivateNetworks: ['127.0.0.0/8'] });
	const delivery = new UserWebhookDelivery({ dataSource, options, outbox, logger: pino({ level: 'silent' }) });
	try {
		// Every round starts from tables without dead rows, as autovacuum keeps them in a steady server.
		await dataSource.query(`VACUUM ANALYZE "webhook", "webhook_delivery", "webhook_delivery_attempt"`);
		await delivery.startWorker();
		const { lastAt: received } = await receiver.expect(jobs);
		const startedAt = Date.now();
		let next = 0;
		const raiseEvents = async () => {
			while (next < jobs) {
				const first = next;
				next += TARGETS_PER_EVENT;
				const count = Math.min(TARGETS_PER_EVENT, jobs - first);
				await delivery.enqueue(Array.from({ length: count }, (_, i) => webhooks[(first + i) % webhooks.length]), 'note', body);
			}
		};
		await Promise.all(Array.from({ length: CONCURRENT_EVENTS }, raiseEvents));
		const lastAt = await received;
		const seconds = (lastAt - startedAt) / 1000;
		const round: OutboxBenchRound = { seconds: round2(seconds), deliveriesPerSecond: Math.round(jobs / seconds) };
		if (!outbox) return round;
		await waitUntilLogged(dataSource, options.queuePrefix, jobs);
		return { ...round, loggedSeconds: round2((Date.now() - startedAt) / 1000) };
	} finally {
		await delivery.close();
		await deleteKeys(options.queuePrefix);
	}
}

async function waitUntilLogged(dataSource: DataSource, queuePrefix: string, jobs: number): Promise<void> {
	for (;;) {
		const [{ logged }] = await dataSource.query(`SELECT count(*)::int AS "logged" FROM "webhook_delivery" WHERE "queuePrefix" = $1 AND "status" = 'delivered'`, [queuePrefix]);
		if (logged >= jobs) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function deleteKeys(prefix: string): Promise<void> {
	const redis = new Redis(redisUrl);
	try {
		const keys = await redis.keys(`${prefix}:*`);
		for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
	} finally {
		redis.disconnect();
	}
}

function fastest(rounds: OutboxBenchRound[]): OutboxBenchRound {
	return rounds.reduce((best, round) => (round.deliveriesPerSecond > best.deliveriesPerSecond ? round : best));
}

function printTable(figures: OutboxBenchFigures): void {
	const row = (name: string, r: OutboxBenchRound) => `  ${name.padEnd(40)}${String(r.deliveriesPerSecond).padStart(10)}${r.seconds.toFixed(2).padStart(10)}`;
	console.log(`outbox, ${figures.jobs} deliveries, concurrency ${figures.concurrency}, ${figures.receiverHosts} receiver hosts, ${figures.concurrentEvents} events at a time, best of ${figures.rounds}:`);
	console.log(`  ${'side'.padEnd(40)}${'deliv/s'.padStart(10)}${'seconds'.padStart(10)}`);
	console.log(row('plain (no outbox, log or signature)', figures.plain.best));
	console.log(row('outbox + attempt log + signature', figures.full.best));
	console.log(`  full / plain: ${figures.fullOverPlain} (target ≥ ${figures.target}); all logged after ${figures.full.best.loggedSeconds} s; ${figures.full.rowsDelivered} rows delivered, ${figures.full.attemptRows} attempt rows`);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchOutbox();
	process.exit(0);
}
