import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { performance as nodePerformance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Bull from 'bull';
import got from 'got';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type FairnessSnapshot, type WebhookModule } from '../src/index.js';
import { USER_WEBHOOK_DELIVER_QUEUE } from '../src/delivery/queue/queue.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import { ArrivalReceiver } from './arrival-receiver.js';
import { benchHost, deleteKeys, ledgerOf, packedNote, type Ledger } from './end-to-end.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';
import { ServiceCpu } from './process-cpu.js';

// A backlog to one healthy, fast receiver, as a host with split processes meets it: a process that only raises events
// (no workers) queues N note deliveries, one webhook per event, over USERS webhooks that all point at one receiver
// (another process); then a fresh module, as a queue process that has just started, starts its workers and drains
// them with the module's defaults. Bare Bull 4 + got in the same run is the floor: the same backlog added with no
// worker, then `process(64)` with one keep-alive agent.

const SERVER_URL = 'https://bench.example';
const DELIVERIES = Number(process.env.BENCH_DRAIN_DELIVERIES ?? 2_000);
const ROUNDS = Number(process.env.BENCH_DRAIN_ROUNDS ?? 2);
const USERS = 120;
const CONCURRENCY = 64;
const TARGET_RATIO = 1;
const COMPLETION_TIMEOUT_MS = 300_000;
/** After the last arrival, the drained side finishes its bookkeeping (statuses, attempt log, outbox) before it closes. */
const SETTLE_MS = 1_000;

export interface DrainSide {
	/** From the workers' start to the last arrival. */
	secondsFromStart: number;
	deliveriesPerSecond: number;
	/** From the first arrival to the last, as the Misskey side-by-side counts it. */
	deliveriesPerSecondFirstToLast: number;
	/** This process's CPU per delivery during the drain (the receiver runs in another process), µs. */
	cpuMicrosPerDelivery: number;
	/** PostgreSQL's and Redis's CPU per delivery over the same window, µs: they share the machine's cores with this process. */
	postgresMicrosPerDelivery: number;
	redisMicrosPerDelivery: number;
	/** Share of the drain this process's event loop was busy: low means something other than CPU sets the pace. */
	eventLoopBusy: number;
	/** Seconds from the workers' start until half, nine in ten, and 99 in 100 of the deliveries had arrived: a tail shows here. */
	arrivedBy: { p50: number; p90: number; p99: number };
	ledger: Ledger;
}

export interface DrainRound {
	baseline: DrainSide;
	module: DrainSide & { fairness: Omit<FairnessSnapshot, 'hosts'> };
	moduleOverBaseline: number;
}

export interface DrainFigures {
	deliveries: number;
	users: number;
	rounds: DrainRound[];
	/** Best module round over best baseline round, from the workers' start. */
	moduleOverBaseline: number;
	target: number;
	valid: boolean;
}

/** `BENCH_DRAIN_PROFILE=module` (or `bare`): that side's timed drains run under the CPU profiler. */
const PROFILE_SIDE = process.env.BENCH_DRAIN_PROFILE;
if (PROFILE_SIDE !== undefined && PROFILE_SIDE !== 'module' && PROFILE_SIDE !== 'bare') throw new Error(`BENCH_DRAIN_PROFILE is module or bare, not ${PROFILE_SIDE}`);

const now = () => performance.timeOrigin + performance.now();
const round2 = (value: number) => Math.round(value * 100) / 100;

export async function benchDrain(): Promise<DrainFigures> {
	const receiver = await ArrivalReceiver.start(1);
	const dataSource = await openBenchDatabase();
	const runId = `drain${Date.now().toString(36)}`;
	const store = new WebhookStore(dataSource);
	const servicesRedis = new Redis(redisUrl);
	const [{ pid }] = (await dataSource.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
	const services = ServiceCpu.of(pid, servicesRedis);
	try {
		const hookOf = new Map<string, string>();
		for (let u = 0; u < USERS; u++) {
			const userId = `${runId}u${u}`;
			const row = await store.create({ userId, name: `drain ${u}`, url: receiver.urls[0], secret: 'bench-secret', on: ['note'] });
			hookOf.set(userId, row.id);
		}
		const users = [...hookOf.keys()];
		const rounds: DrainRound[] = [];
		// Warm both sides once (connections, JIT), untimed.
		await drainBaseline(receiver, services, users, hookOf, 200, `${runId}w`);
		await drainModule(receiver, services, dataSource, users, hookOf, 200, `${runId}w`);
		for (let round = 0; round < ROUNDS; round++) {
			const baseline = await drainBaseline(receiver, services, users, hookOf, DELIVERIES, `${runId}r${round}`);
			const module = await drainModule(receiver, services, dataSource, users, hookOf, DELIVERIES, `${runId}r${round}`);
			rounds.push({ baseline, module, moduleOverBaseline: round2(module.deliveriesPerSecond / baseline.deliveriesPerSecond) });
			printRound(round, rounds[round]);
		}
		const best = (sides: DrainSide[]) => Math.max(...sides.map((side) => side.deliveriesPerSecond));
		const figures: DrainFigures = {
			deliveries: DELIVERIES,
			users: USERS,
			rounds,
			moduleOverBaseline: round2(best(rounds.map((r) => r.module)) / best(rounds.map((r) => r.baseline))),
			target: TARGET_RATIO,
			valid: rounds.every((r) => r.baseline.ledger.balanced && r.module.ledger.balanced),
		};
		console.log(`  best module / best bare: ${figures.moduleOverBaseline} (target ≥ ${TARGET_RATIO})${figures.valid ? '' : '; the run is VOID: a ledger did not balance'}`);
		await mkdir(new URL('./results/', import.meta.url), { recursive: true });
		await writeFile(new URL('./results/drain.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
		return figures;
	} finally {
		await dataSource.query('DELETE FROM "webhook" WHERE "userId" LIKE $1', [`${runId}u%`]).catch(() => undefined);
		await dataSource.destroy();
		servicesRedis.disconnect();
		await receiver.stop();
	}
}

interface Backlog {
	events: { noteId: string; raisedAtMs: number; hookIds: string[] }[];
	ownerOf: Map<string, string>;
}

function backlogOf(users: readonly string[], hookOf: Map<string, string>, count: number, tag: string): Backlog {
	const ownerOf = new Map<string, string>();
	const events = Array.from({ length: count }, (_, i) => {
		const userId = users[i % users.length];
		const noteId = `${userId}-${tag}${i}`;
		ownerOf.set(noteId, userId);
		return { noteId, raisedAtMs: 0, hookIds: [hookOf.get(userId)!] };
	});
	return { events, ownerOf };
}

/**
 * Starts the workers with `start`, waits for every arrival, and times the drain; under `BENCH_DRAIN_PROFILE` (module or
 * bare), that side's drains run under V8's CPU profiler, written to bench/results/drain-<side>.cpuprofile.
 */
async function timeDrain(side: 'module' | 'bare', receiver: ArrivalReceiver, services: ServiceCpu, backlog: Backlog, start: () => Promise<void>): Promise<DrainSide> {
	const { complete } = await receiver.expect(backlog.events.length);
	const profiler = PROFILE_SIDE === side ? await startProfiler() : null;
	const servicesBefore = await services.read();
	const cpuBefore = process.cpuUsage();
	const loopBefore = nodePerformance.eventLoopUtilization();
	const startedAt = now();
	await start();
	const lastAt = await complete;
	const cpu = process.cpuUsage(cpuBefore);
	const busy = nodePerformance.eventLoopUtilization(loopBefore).utilization;
	const servicesAfter = await services.read();
	if (profiler) await profiler.stop(side);
	const arrivals = await receiver.collect();
	const { ledger } = ledgerOf(backlog.events, arrivals);
	const firstAt = Math.min(...arrivals.map(([, , at]) => at));
	const times = arrivals.map(([, , at]) => at).sort((a, b) => a - b);
	const arrivedAt = (share: number) => round2((times[Math.min(times.length - 1, Math.ceil(share * times.length) - 1)] - startedAt) / 1000);
	return {
		secondsFromStart: round2((lastAt - startedAt) / 1000),
		deliveriesPerSecond: Math.round(ledger.delivered / ((lastAt - startedAt) / 1000)),
		deliveriesPerSecondFirstToLast: Math.round((ledger.delivered - 1) / ((lastAt - firstAt) / 1000)),
		cpuMicrosPerDelivery: Math.round((cpu.user + cpu.system) / Math.max(1, ledger.delivered)),
		postgresMicrosPerDelivery: Math.round(((servicesAfter.postgresMs - servicesBefore.postgresMs) * 1000) / Math.max(1, ledger.delivered)),
		redisMicrosPerDelivery: Math.round(((servicesAfter.redisMs - servicesBefore.redisMs) * 1000) / Math.max(1, ledger.delivered)),
		eventLoopBusy: round2(busy),
		arrivedBy: { p50: arrivedAt(0.5), p90: arrivedAt(0.9), p99: arrivedAt(0.99) },
		ledger,
	};
}

/** Bare Bull 4 + got: the backlog added with no worker, then one `process(64)` with a keep-alive agent drains it. */
async function drainBaseline(receiver: ArrivalReceiver, services: ServiceCpu, users: readonly string[], hookOf: Map<string, string>, count: number, tag: string): Promise<DrainSide> {
	const prefix = `bench-drain-bare-${tag}`;
	const backlog = backlogOf(users, hookOf, count, `${tag}b`);
	const queue = new Bull<{ to: string; envelope: unknown }>(USER_WEBHOOK_DELIVER_QUEUE, redisUrl, { prefix });
	const agent = new http.Agent({ keepAlive: true });
	try {
		const jobs = backlog.events.map((event) => {
			const userId = backlog.ownerOf.get(event.noteId)!;
			const hookId = event.hookIds[0];
			return {
				data: { to: receiver.urls[0], envelope: { server: SERVER_URL, hookId, userId, eventId: `${hookId}-${event.noteId}`, createdAt: Date.now(), type: 'note', body: { note: packedNote(event.noteId, userId) } } },
				opts: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
			};
		});
		for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
		return await timeDrain('bare', receiver, services, backlog, async () => {
			queue.process('*', CONCURRENCY, async (job) => {
				const response = await got.post(job.data.to, {
					body: JSON.stringify(job.data.envelope),
					headers: { 'Content-Type': 'application/json', 'X-Misskey-Hook-Secret': 'bench-secret' },
					agent: { http: agent },
					retry: { limit: 0 },
					throwHttpErrors: false,
				});
				if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
			}).catch(() => undefined);
		});
	} finally {
		await queue.close();
		agent.destroy();
		await deleteKeys(prefix);
	}
}

function moduleOf(dataSource: DataSource, queuePrefix: string): Promise<WebhookModule> {
	return createWebhookModule({ dataSource, host: benchHost(), serverUrl: SERVER_URL, redisUrl, queuePrefix, allowedPrivateNetworks: ['127.0.0.0/8'], rateLimit: false });
}

/**
 * The module with its defaults: a module without workers raises the events (outbox rows, then jobs), and closes; a
 * fresh one, as a queue process that has just started, starts its workers on the backlog.
 */
async function drainModule(receiver: ArrivalReceiver, services: ServiceCpu, dataSource: DataSource, users: readonly string[], hookOf: Map<string, string>, count: number, tag: string): Promise<DrainSide & { fairness: Omit<FairnessSnapshot, 'hosts'> }> {
	const queuePrefix = `bench-drain-module-${tag}`;
	const backlog = backlogOf(users, hookOf, count, `${tag}m`);
	const web = await moduleOf(dataSource, queuePrefix);
	try {
		await Promise.all(backlog.events.map((event) => web.events.noteCreated({ note: { id: event.noteId, userId: backlog.ownerOf.get(event.noteId)!, visibility: 'public' } })));
	} finally {
		await web.close();
	}
	await waitForQueued(queuePrefix, count);
	const worker = await moduleOf(dataSource, queuePrefix);
	try {
		const side = await timeDrain('module', receiver, services, backlog, () => worker.startWorkers());
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		const { hosts: _hosts, ...fairness } = worker.fairness().user;
		return { ...side, fairness };
	} finally {
		await worker.close();
		await deleteKeys(queuePrefix);
	}
}

async function waitForQueued(prefix: string, count: number): Promise<void> {
	const queue = new Bull(USER_WEBHOOK_DELIVER_QUEUE, redisUrl, { prefix });
	try {
		for (let waited = 0; waited < COMPLETION_TIMEOUT_MS; waited += 50) {
			const counts = await queue.getJobCounts();
			if (counts.waiting + counts.delayed >= count) return;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`the backlog of ${count} deliveries was not queued`);
	} finally {
		await queue.close();
	}
}

async function startProfiler(): Promise<{ stop(side: string): Promise<void> }> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	return {
		async stop(side) {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			const file = new URL(`./results/drain-${side}.cpuprofile`, import.meta.url);
			await mkdir(new URL('./results/', import.meta.url), { recursive: true });
			await writeFile(file, JSON.stringify(profile));
			console.log(`profile of the ${side} drain: ${fileURLToPath(file)}; summary: npx tsx bench/profile-summary.ts ${fileURLToPath(file)} ${DELIVERIES}`);
		},
	};
}

function printRound(round: number, r: DrainRound): void {
	const side = (name: string, s: DrainSide) => `  ${name.padEnd(20)}${String(s.deliveriesPerSecond).padStart(8)} deliveries/s from start (${s.secondsFromStart} s), ${s.deliveriesPerSecondFirstToLast}/s first to last arrival, ${s.cpuMicrosPerDelivery} µs CPU per delivery (PostgreSQL ${s.postgresMicrosPerDelivery}, Redis ${s.redisMicrosPerDelivery}), event loop busy ${Math.round(s.eventLoopBusy * 100)} %, half arrived by ${s.arrivedBy.p50} s, 90 % by ${s.arrivedBy.p90} s, 99 % by ${s.arrivedBy.p99} s${s.ledger.balanced ? '' : ' — VOID'}`;
	console.log(`drain of ${DELIVERIES} queued deliveries to one receiver, round ${round + 1}:`);
	console.log(side('bare Bull 4 + got', r.baseline));
	console.log(side('the module', r.module));
	console.log(`  module / bare: ${r.moduleOverBaseline}; the gate's deferrals: ${JSON.stringify(r.module.fairness.deferrals)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchDrain();
	process.exit(0);
}
