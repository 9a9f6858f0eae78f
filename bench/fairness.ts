import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions } from '../src/config/options.js';
import type { FairnessSnapshot } from '../src/delivery/queue/host-gate.js';
import { UserWebhookDelivery } from '../src/delivery/user-webhook-delivery.js';
import { WebhookStore } from '../src/store/webhook-store.js';
import type { WebhookEntity } from '../src/store/webhook.entity.js';
import type { FairnessReceiverCommand, FairnessReceiverReport } from './fairness-receivers.js';
import { pino } from 'pino';
import { nextReport } from './receiver-client.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

// N receivers that accept the connection and never answer, K deliveries queued to each, beside one healthy receiver
// fed at a steady rate. The module's defaults throughout (workerConcurrency 64, concurrencyPerTargetHost 8,
// requestTimeoutMs 5000, the standard retry preset): nothing is lowered for the dead receivers.
const DEAD_HOSTS = Number(process.env.BENCH_FAIRNESS_DEAD_HOSTS ?? 10);
const DEAD_DELIVERIES_PER_HOST = Number(process.env.BENCH_FAIRNESS_DEAD_DELIVERIES ?? 1000);
const HEALTHY_RATE_PER_SECOND = 50;
const PHASE_SECONDS = Number(process.env.BENCH_FAIRNESS_SECONDS ?? 25);
// The dead backlog lands this long after the healthy stream starts, so the healthy receiver has answered once already.
const DEAD_BACKLOG_AFTER_MS = 1000;
const TARGET_P99_RATIO = 2;
const WINDOW_SECONDS = 5;
const ROUNDS = Number(process.env.BENCH_FAIRNESS_ROUNDS ?? 2);
const RECEIVER_NETWORKS = ['127.0.0.0/8'];
const SERVER_URL = 'https://bench.example';

export interface LatencyFigures {
	samples: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** p99 of the deliveries enqueued in each 5 s window of the phase. */
	p99ByWindowMs?: number[];
}

export interface FairnessBenchFigures {
	deadHosts: number;
	deadDeliveriesPerHost: number;
	healthyRatePerSecond: number;
	phaseSeconds: number;
	workerConcurrency: number;
	concurrencyPerTargetHost: number;
	requestTimeoutMs: number;
	/** The healthy receiver alone (the round with the lowest p99). */
	withoutDead: LatencyFigures;
	/** The same stream while the dead receivers' deliveries are queued. */
	withDead: LatencyFigures & { deadConnections: number; backlogQueuedInMs: number; fairness: Omit<FairnessSnapshot, 'hosts'> & { openCircuits: number } };
	rounds: number;
	p99ByRound: { withoutDead: number[]; withDead: number[] };
	/** p99 with the dead receivers over p99 without (best round of each), same run; target ≤ 2. */
	p99Ratio: number;
	target: number;
}

/** Healthy latency (enqueue to arrival) p50/p99 with and without dead receivers, in one run. */
export async function benchFairness(): Promise<FairnessBenchFigures> {
	const receivers = await FairnessReceivers.start(DEAD_HOSTS);
	const dataSource = await openBenchDatabase();
	const benchOwner = `bench${randomUUID().replaceAll('-', '').slice(0, 16)}`;
	try {
		const store = new WebhookStore(dataSource);
		const hook = (name: string, url: string) => store.create({ userId: benchOwner, name, url, secret: 'bench-secret', on: ['note'] });
		const healthy = await hook('healthy', receivers.healthyUrl);
		const dead = await Promise.all(receivers.deadUrls.map((url, i) => hook(`dead ${i}`, url)));
		const defaults = normalizeOptions({ serverUrl: SERVER_URL, redisUrl });

		// Alternating rounds, best p99 of each side: the machine is shared, and a burst of someone else's load lands in
		// one phase, not in both sides of every round.
		const withoutRounds: PhaseResult[] = [];
		const withRounds: PhaseResult[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			withoutRounds.push(await runPhase(dataSource, receivers, healthy, []));
			withRounds.push(await runPhase(dataSource, receivers, healthy, dead));
		}
		const withoutDead = best(withoutRounds);
		const withDead = best(withRounds);
		const figures: FairnessBenchFigures = {
			deadHosts: DEAD_HOSTS,
			deadDeliveriesPerHost: DEAD_DELIVERIES_PER_HOST,
			healthyRatePerSecond: HEALTHY_RATE_PER_SECOND,
			phaseSeconds: PHASE_SECONDS,
			workerConcurrency: defaults.workerConcurrency,
			concurrencyPerTargetHost: defaults.concurrencyPerTargetHost,
			requestTimeoutMs: defaults.requestTimeoutMs,
			withoutDead: withoutDead.latency,
			withDead: { ...withDead.latency, deadConnections: withDead.deadConnections, backlogQueuedInMs: withDead.backlogQueuedInMs, fairness: withDead.fairness },
			rounds: ROUNDS,
			p99ByRound: { withoutDead: withoutRounds.map((r) => r.latency.p99Ms), withDead: withRounds.map((r) => r.latency.p99Ms) },
			p99Ratio: round2(withDead.latency.p99Ms / Math.max(1, withoutDead.latency.p99Ms)),
			target: TARGET_P99_RATIO,
		};
		printTable(figures);
		await mkdir(new URL('./results/', import.meta.url), { recursive: true });
		await writeFile(new URL('./results/fairness.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
		return figures;
	} finally {
		await dataSource.query(`DELETE FROM "webhook_delivery" WHERE "userId" = $1`, [benchOwner]).catch(() => undefined);
		await dataSource.query(`DELETE FROM "webhook" WHERE "userId" = $1`, [benchOwner]).catch(() => undefined);
		await dataSource.destroy();
		await receivers.stop();
	}
}

/**
 * One worker with default options on a fresh queue: the healthy stream for PHASE_SECONDS, and, when `dead` is given,
 * DEAD_DELIVERIES_PER_HOST events to every dead webhook queued one second in (one enqueue per event, as notes do).
 */
async function runPhase(dataSource: DataSource, receivers: FairnessReceivers, healthy: WebhookEntity, dead: WebhookEntity[]) {
	const options = normalizeOptions({ serverUrl: SERVER_URL, redisUrl, queuePrefix: `bench-fairness-${randomUUID()}`, allowedPrivateNetworks: RECEIVER_NETWORKS });
	const delivery = new UserWebhookDelivery({ dataSource, options, logger: pino({ level: 'silent' }) });
	try {
		await delivery.startWorker();
		await receivers.drain();
		const startedAt = Date.now();
		let backlogQueuedInMs = 0;
		const backlog = dead.length === 0 ? Promise.resolve() : (async () => {
			await sleep(DEAD_BACKLOG_AFTER_MS);
			const backlogStartedAt = Date.now();
			for (let i = 0; i < DEAD_DELIVERIES_PER_HOST; i++) await delivery.enqueue(dead, 'note', { backlog: i });
			backlogQueuedInMs = Date.now() - backlogStartedAt;
		})();
		const interval = 1000 / HEALTHY_RATE_PER_SECOND;
		const total = HEALTHY_RATE_PER_SECOND * PHASE_SECONDS;
		for (let sent = 0; sent < total; sent++) {
			await sleep(startedAt + sent * interval - Date.now());
			void delivery.enqueue([healthy], 'note', { enqueuedAt: Date.now(), n: sent });
		}
		await backlog;
		// The last healthy deliveries get a moment to land.
		await sleep(2000);
		const { samples, deadConnections } = await receivers.drain();
		const { hosts, ...fairness } = delivery.fairness();
		const latency = percentiles(samples.map(([, ms]) => ms), total);
		// p99 per window of the phase, to see when the dead receivers cost anything.
		const windows = Array.from({ length: Math.ceil(PHASE_SECONDS / WINDOW_SECONDS) }, (_, w) => {
			const inWindow = samples.filter(([at]) => Math.floor((at - startedAt) / 1000 / WINDOW_SECONDS) === w).map(([, ms]) => ms);
			return percentiles(inWindow, inWindow.length).p99Ms;
		});
		return { latency: { ...latency, p99ByWindowMs: windows }, deadConnections, backlogQueuedInMs, fairness: { ...fairness, openCircuits: hosts.filter((host) => host.circuit !== 'closed').length } };
	} finally {
		await delivery.close();
		await deleteKeys(options.queuePrefix);
	}
}

type PhaseResult = Awaited<ReturnType<typeof runPhase>>;

function best(rounds: PhaseResult[]): PhaseResult {
	return rounds.reduce((lowest, round) => (round.latency.p99Ms < lowest.latency.p99Ms ? round : lowest));
}

/** p50, p99 and max of the samples; a delivery that never arrived counts as the phase's whole length. */
function percentiles(samples: number[], expected: number): LatencyFigures {
	const sorted = [...samples, ...Array.from({ length: Math.max(0, expected - samples.length) }, () => PHASE_SECONDS * 1000)].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
	return { samples: samples.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] ?? 0 };
}

/** bench/fairness-receivers.ts in its own process, driven over IPC. */
class FairnessReceivers {
	private constructor(private readonly child: ChildProcess, readonly healthyUrl: string, readonly deadUrls: string[]) {}

	static async start(dead: number): Promise<FairnessReceivers> {
		const child = fork(fileURLToPath(new URL('./fairness-receivers.ts', import.meta.url)), [String(dead)], { execArgv: ['--import', 'tsx'] });
		const report = await nextReport<FairnessReceiverReport, 'listening'>(child, 'listening');
		return new FairnessReceivers(child, `http://127.0.0.1:${report.healthyPort}/hook`, report.deadPorts.map((port) => `http://127.0.0.1:${port}/hook`));
	}

	/** The healthy latencies since the last drain, and how many connections the dead receivers took so far. */
	async drain(): Promise<{ samples: Array<[enqueuedAt: number, latencyMs: number]>; deadConnections: number }> {
		const report = nextReport<FairnessReceiverReport, 'drained'>(this.child, 'drained');
		this.child.send({ kind: 'drain' } satisfies FairnessReceiverCommand);
		return report;
	}

	async stop(): Promise<void> {
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.send({ kind: 'stop' } satisfies FairnessReceiverCommand);
		await exited;
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

function printTable(figures: FairnessBenchFigures): void {
	const row = (name: string, l: LatencyFigures) => `  ${name.padEnd(34)}${String(l.p50Ms).padStart(8)}${String(l.p99Ms).padStart(8)}${String(l.maxMs).padStart(8)}${String(l.samples).padStart(9)}`;
	console.log(`fairness, best of ${figures.rounds} rounds, healthy receiver at ${figures.healthyRatePerSecond}/s for ${figures.phaseSeconds} s; ${figures.deadHosts} dead receivers × ${figures.deadDeliveriesPerHost} deliveries; defaults (workers ${figures.workerConcurrency}, per host ${figures.concurrencyPerTargetHost}, timeout ${figures.requestTimeoutMs} ms):`);
	console.log(`  ${'healthy latency, enqueue → arrival'.padEnd(34)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}${'arrived'.padStart(9)}`);
	console.log(row('without dead receivers', figures.withoutDead));
	console.log(row('with dead receivers', figures.withDead));
	const f = figures.withDead.fairness;
	console.log(`  p99 per ${WINDOW_SECONDS} s window: without ${JSON.stringify(figures.withoutDead.p99ByWindowMs)}, with ${JSON.stringify(figures.withDead.p99ByWindowMs)}; backlog queued in ${figures.withDead.backlogQueuedInMs} ms`);
	console.log(`  p99 by round: without ${JSON.stringify(figures.p99ByRound.withoutDead)}, with ${JSON.stringify(figures.p99ByRound.withDead)} (best of ${figures.rounds} each below)`);
	console.log(`  p99 with / without: ${figures.p99Ratio} (target ≤ ${figures.target}); dead connections ${figures.withDead.deadConnections}; circuits opened ${f.circuitsOpened}; deferrals ${JSON.stringify(f.deferrals)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const round2 = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchFairness();
	process.exit(0);
}
