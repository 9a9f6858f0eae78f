import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import Bull from 'bull';
import got from 'got';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../src/config/options.js';
import { dummyUserWebhookBody } from '../src/api/packing/dummies.js';
import type { UserWebhookDeliverJobData } from '../src/delivery/job/job-data.js';
import { UserWebhookDelivery } from '../src/delivery/user-webhook-delivery.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import type { WebhookEntity } from '../src/store/webhook.entity.js';
import { BenchReceiver } from './receiver-client.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

const JOBS = Number(process.env.BENCH_DELIVERY_JOBS ?? 10_000);
// The receiver process listens on loopback, which the address guard refuses unless allowed.
const RECEIVER_NETWORKS = ['127.0.0.0/8'];
const WARMUP_JOBS = 1_000;
const ROUNDS = 2;
// Misskey's user webhook worker concurrency; the baseline gets the same.
const CONCURRENCY = 64;
// Each enqueue call stands for one event reaching this many webhooks.
const TARGETS_PER_EVENT = 10;
const WEBHOOK_COUNT = 200;
// Receivers on distinct ports, webhooks spread over them: with the default cap of 8 per host, 8 hosts let all 64 slots work.
const RECEIVER_HOSTS = 8;
const TARGET_RATIO = 0.8;
const SERVER_URL = 'https://bench.example';

export interface DeliveryBenchRound {
	seconds: number;
	deliveriesPerSecond: number;
}

export interface DeliveryBenchFigures {
	jobs: number;
	rounds: number;
	concurrency: number;
	concurrencyPerTargetHost: number;
	receiverHosts: number;
	payloadBytes: number;
	baseline: { best: DeliveryBenchRound; rounds: DeliveryBenchRound[] };
	ours: { best: DeliveryBenchRound; rounds: DeliveryBenchRound[]; statusesWritten: number };
	/** Our best deliveries/s over the baseline's best, same run, same receivers. */
	oursOverBaseline: number;
	target: number;
	/** Every job to one receiver host: the per-host cap, not the queue, sets the pace (one round). */
	oursOneHost: DeliveryBenchRound & { overBaseline: number };
}

/**
 * Deliveries/s of UserWebhookDelivery beside bare Bull 4 + got (same jobs, payload, concurrency and receiver), each timed
 * from the first enqueue to the last request the receiver (another process) got. Target: ours ≥ 0.8 × baseline.
 */
export async function benchDelivery(): Promise<DeliveryBenchFigures> {
	const receiver = await BenchReceiver.start(RECEIVER_HOSTS);
	const dataSource = await openBenchDatabase();
	const benchOwner = `bench${randomUUID().replaceAll('-', '').slice(0, 16)}`;
	try {
		const store = new WebhookStore(dataSource);
		const createWebhooks = async (urlOf: (i: number) => string) => {
			const rows: WebhookEntity[] = [];
			for (let i = 0; i < WEBHOOK_COUNT; i++) rows.push(await store.create({ userId: benchOwner, name: `bench ${i}`, url: urlOf(i), secret: 'bench-secret', on: ['note'] }));
			return rows;
		};
		const webhooks = await createWebhooks((i) => receiver.urls[i % receiver.urls.length]);
		const oneHostWebhooks = await createWebhooks(() => receiver.urls[0]);
		const body = dummyUserWebhookBody('note');
		const concurrencyPerTargetHost = normalizeOptions({ serverUrl: SERVER_URL, redisUrl }).concurrencyPerTargetHost;

		await runBaseline(receiver, webhooks, body, WARMUP_JOBS);
		await runOurs(receiver, dataSource, webhooks, body, WARMUP_JOBS);
		const baselineRounds: DeliveryBenchRound[] = [];
		const oursRounds: DeliveryBenchRound[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			baselineRounds.push(await runBaseline(receiver, webhooks, body, JOBS));
			oursRounds.push(await runOurs(receiver, dataSource, webhooks, body, JOBS));
		}
		const [{ written }] = await dataSource.query(`SELECT count(*)::int AS "written" FROM "webhook" WHERE "userId" = $1 AND "latestStatus" = 204`, [benchOwner]);
		const oneHost = await runOurs(receiver, dataSource, oneHostWebhooks, body, JOBS);
		const baselineBest = fastest(baselineRounds);
		const oursBest = fastest(oursRounds);
		const figures: DeliveryBenchFigures = {
			jobs: JOBS,
			rounds: ROUNDS,
			concurrency: CONCURRENCY,
			concurrencyPerTargetHost,
			receiverHosts: RECEIVER_HOSTS,
			payloadBytes: Buffer.byteLength(JSON.stringify(envelopeOf(jobData(webhooks[0], body)))),
			baseline: { best: baselineBest, rounds: baselineRounds },
			ours: { best: oursBest, rounds: oursRounds, statusesWritten: written },
			oursOverBaseline: round2(oursBest.deliveriesPerSecond / baselineBest.deliveriesPerSecond),
			target: TARGET_RATIO,
			oursOneHost: { ...oneHost, overBaseline: round2(oneHost.deliveriesPerSecond / baselineBest.deliveriesPerSecond) },
		};
		printTable(figures);
		await mkdir(new URL('./results/', import.meta.url), { recursive: true });
		await writeFile(new URL('./results/delivery.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
		return figures;
	} finally {
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" = $1`, [benchOwner]).catch(() => undefined);
		await dataSource.destroy();
		await receiver.stop();
	}
}

/** Bare Bull 4 + got: the same jobs POSTed with a keep-alive agent, nothing else. */
async function runBaseline(receiver: BenchReceiver, webhooks: WebhookEntity[], body: unknown, jobs: number): Promise<DeliveryBenchRound> {
	const prefix = `bench-baseline-${randomUUID()}`;
	const queue = new Bull<UserWebhookDeliverJobData>('userWebhookDeliver', redisUrl, { prefix });
	const agent = new http.Agent({ keepAlive: true });
	try {
		queue.process('*', CONCURRENCY, async (job) => {
			const response = await got.post(job.data.to, {
				body: JSON.stringify(envelopeOf(job.data)),
				headers: { 'Content-Type': 'application/json' },
				agent: { http: agent },
				retry: { limit: 0 },
				throwHttpErrors: false,
			});
			if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
		}).catch(() => undefined);
		await queue.isReady();
		return await timeDeliveries(receiver, jobs, async (targets) => {
			await queue.addBulk(targets.map((target) => ({ name: target.id, data: jobData(target, body), opts: { removeOnComplete: true, removeOnFail: true } })));
		}, webhooks);
	} finally {
		await queue.close();
		agent.destroy();
		await deleteKeys(prefix);
	}
}

/** UserWebhookDelivery with the outbox off (bench/outbox.ts prices outbox, log and signature): enqueue per event, default worker options, statuses written to PostgreSQL. */
async function runOurs(receiver: BenchReceiver, dataSource: DataSource, webhooks: WebhookEntity[], body: unknown, jobs: number): Promise<DeliveryBenchRound> {
	const options = normalizeOptions({ serverUrl: SERVER_URL, redisUrl, queuePrefix: `bench-ours-${randomUUID()}`, workerConcurrency: CONCURRENCY, allowedPrivateNetworks: RECEIVER_NETWORKS });
	const delivery = new UserWebhookDelivery({ dataSource, options, outbox: false });
	try {
		await delivery.startWorker();
		return await timeDeliveries(receiver, jobs, (targets) => delivery.enqueue(targets, 'note', body), webhooks);
	} finally {
		await delivery.close();
		await deleteKeys(options.queuePrefix);
	}
}

/** Enqueues `jobs` deliveries, one call per event of TARGETS_PER_EVENT webhooks, and times them until the receiver has all. */
async function timeDeliveries(receiver: BenchReceiver, jobs: number, enqueue: (targets: WebhookEntity[]) => Promise<void>, webhooks: WebhookEntity[]): Promise<DeliveryBenchRound> {
	const { lastAt: received } = await receiver.expect(jobs);
	const startedAt = Date.now();
	for (let sent = 0; sent < jobs; sent += TARGETS_PER_EVENT) {
		const count = Math.min(TARGETS_PER_EVENT, jobs - sent);
		const targets = Array.from({ length: count }, (_, i) => webhooks[(sent + i) % webhooks.length]);
		await enqueue(targets);
	}
	const lastAt = await received;
	const seconds = (lastAt - startedAt) / 1000;
	return { seconds: round2(seconds), deliveriesPerSecond: Math.round(jobs / seconds) };
}

function jobData(target: WebhookEntity, body: unknown): UserWebhookDeliverJobData {
	return { type: 'note', content: body, webhookId: target.id, userId: target.userId, to: target.url, secret: target.secret, createdAt: Date.now(), eventId: randomUUID() };
}

function envelopeOf(data: UserWebhookDeliverJobData) {
	return { server: SERVER_URL, hookId: data.webhookId, userId: data.userId, eventId: data.eventId, createdAt: data.createdAt, type: data.type, body: data.content };
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

function fastest(rounds: DeliveryBenchRound[]): DeliveryBenchRound {
	return rounds.reduce((best, round) => (round.deliveriesPerSecond > best.deliveriesPerSecond ? round : best));
}

function printTable(figures: DeliveryBenchFigures): void {
	const row = (name: string, r: DeliveryBenchRound) => `  ${name.padEnd(28)}${String(r.deliveriesPerSecond).padStart(10)}${r.seconds.toFixed(2).padStart(10)}`;
	console.log(`delivery, ${figures.jobs} jobs, concurrency ${figures.concurrency}, ${figures.payloadBytes}-byte envelopes, ${figures.receiverHosts} receiver hosts, best of ${figures.rounds}:`);
	console.log(`  ${'side'.padEnd(28)}${'deliv/s'.padStart(10)}${'seconds'.padStart(10)}`);
	console.log(row('bare Bull 4 + got', figures.baseline.best));
	console.log(row('UserWebhookDelivery (outbox off; bench/outbox.ts measures it)', figures.ours.best));
	console.log(row(`ours, one host (cap ${figures.concurrencyPerTargetHost})`, figures.oursOneHost));
	console.log(`  ours / baseline: ${figures.oursOverBaseline} (target ≥ ${figures.target}); one host: ${figures.oursOneHost.overBaseline}; statuses written: ${figures.ours.statusesWritten}/${WEBHOOK_COUNT}`);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchDelivery();
	process.exit(0);
}
