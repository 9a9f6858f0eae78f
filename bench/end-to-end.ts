import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { performance as nodePerformance } from 'node:perf_hooks';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Bull from 'bull';
import Fastify, { type FastifyInstance } from 'fastify';
import got from 'got';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type HostAdapter, type Note, type WebhookModule } from '../src/index.js';
import type { Arrival } from './arrival-receiver-process.js';
import { ArrivalReceiver } from './arrival-receiver.js';
import { benchRedisUrl as redisUrl, openBenchDatabase } from './bench-services.js';

// The whole path a host meets, through the public face only: `events.noteCreated()` → rules → registry → outbox →
// queue → worker → got → a receiver in another process. The baseline in the same run is bare Bull 4 + got: one
// `queue.add` per delivery, `process(64)`, a keep-alive agent, the same bodies to the same receivers.

const SERVER_URL = 'https://bench.example';
const RECEIVER_HOSTS = 8;
const CONCURRENCY = 64;
const NOTE_TEXT_BYTES = 1_500;
const THROUGHPUT_DELIVERIES = Number(process.env.BENCH_E2E_DELIVERIES ?? 10_000);
/**
 * The throughput mode runs twice: first the common case, one webhook per event (a note reaches its author's webhook),
 * where the per-event work (the outbox INSERT and its commit, planning, packing) falls on one delivery; then each event
 * fanned out to this many webhooks, which spreads that work over them.
 */
const THROUGHPUT_FANOUT = 4;
const LATENCY_RATE_PER_SECOND = Number(process.env.BENCH_LATENCY_RATE ?? 500);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
/**
 * Each comparison runs this many rounds, the sides taking turns at going first (baseline first in odd rounds), and
 * reports the round with the median ratio beside every round's: on a shared machine a single pair of runs swings
 * with whatever else ran at that moment.
 */
const ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? 3);
/**
 * `BENCH_E2E_PROFILE=module` (or `baseline`): after the warm-up, only that side's throughput run, profiled; with
 * `BENCH_E2E_PROFILE_RUN=latency`, its latency run instead.
 */
const PROFILE_SIDE = profileSideOf(process.env.BENCH_E2E_PROFILE);
const PROFILE_LATENCY = process.env.BENCH_E2E_PROFILE_RUN === 'latency';

function profileSideOf(value: string | undefined): 'module' | 'baseline' | undefined {
	if (value === undefined || value === 'module' || value === 'baseline') return value;
	throw new Error(`BENCH_E2E_PROFILE is module or baseline, not ${value}`);
}

export interface Ledger {
	raised: number;
	delivered: number;
	missing: number;
	duplicates: number;
	/** Arrivals that match no raised delivery; any makes the run void too. */
	strangers: number;
	/** true when raised = delivered + missing with nothing missing and no stranger: only such a run counts. */
	balanced: boolean;
}

export interface ThroughputSide {
	seconds: number;
	deliveriesPerSecond: number;
	ledger: Ledger;
}

export interface LatencySide {
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** This process's CPU (every thread) per delivery over the run, µs, and the share of the time its event loop was busy. */
	cpuMicrosPerDelivery: number;
	loopBusy: number;
	ledger: Ledger;
}

/** One note event's deliveries: which note, raised when (epoch ms), to which webhooks. */
interface RaisedEvent {
	noteId: string;
	raisedAtMs: number;
	hookIds: readonly string[];
}

const now = () => performance.timeOrigin + performance.now();

/** raised = delivered + missing; duplicates and strangers counted apart. */
export function ledgerOf(events: readonly RaisedEvent[], arrivals: readonly Arrival[]): { ledger: Ledger; latenciesMs: number[] } {
	const raisedAt = new Map<string, number>();
	for (const event of events) for (const hookId of event.hookIds) raisedAt.set(`${hookId} ${event.noteId}`, event.raisedAtMs);
	const seen = new Set<string>();
	const latenciesMs: number[] = [];
	let duplicates = 0;
	let strangers = 0;
	for (const [hookId, noteId, atMs] of arrivals) {
		const key = `${hookId} ${noteId}`;
		const raised = raisedAt.get(key);
		if (raised === undefined) strangers++;
		else if (seen.has(key)) duplicates++;
		else {
			seen.add(key);
			latenciesMs.push(atMs - raised);
		}
	}
	const delivered = seen.size;
	const missing = raisedAt.size - delivered;
	return { ledger: { raised: raisedAt.size, delivered, missing, duplicates, strangers, balanced: missing === 0 && strangers === 0 }, latenciesMs };
}

function percentile(sorted: readonly number[], share: number): number {
	if (sorted.length === 0) return Number.NaN;
	return round2(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** A note of about NOTE_TEXT_BYTES packed as Misskey would, for both sides. */
export function packedNote(id: string, userId: string): Note {
	return {
		id,
		createdAt: new Date().toISOString(),
		userId,
		user: { id: userId, name: 'Bench', username: `bench_${userId}`, host: null, avatarUrl: null, avatarBlurhash: null, avatarDecorations: [], isBot: false, isCat: false, emojis: {}, onlineStatus: 'unknown', badgeRoles: [] },
		text: 'x'.repeat(NOTE_TEXT_BYTES),
		cw: null,
		visibility: 'public',
		localOnly: false,
		reactionAcceptance: null,
		renoteCount: 0,
		repliesCount: 0,
		reactionCount: 0,
		reactions: {},
		reactionEmojis: {},
		emojis: {},
		fileIds: [],
		files: [],
		replyId: null,
		renoteId: null,
		clippedCount: 0,
	} as unknown as Note;
}

/** The host side: one user per owner, every token a native token of its owner; notes packed from an in-memory map. */
export function benchHost(): HostAdapter {
	return {
		authenticate: async (token) => ({ user: { id: token }, isNativeToken: true }),
		webhookLimit: async () => 1_000,
		isThreadMuted: async () => false,
		packNote: async (noteId) => packedNote(noteId, noteId.split('-')[0]),
		packUserLite: async (userId) => packedNote('n', userId).user,
		packUserDetailed: async () => { throw new Error('not used by note events'); },
	};
}

interface Rig {
	receiver: ArrivalReceiver;
	dataSource: DataSource;
	webhooks: WebhookModule;
	api: FastifyInstance;
	queuePrefix: string;
}

async function startRig(receiver: ArrivalReceiver, queuePrefix: string): Promise<Rig> {
	const dataSource = await openBenchDatabase();
	const webhooks = await createWebhookModule({
		dataSource,
		host: benchHost(),
		serverUrl: SERVER_URL,
		redisUrl,
		queuePrefix,
		allowedPrivateNetworks: ['127.0.0.0/8'],
		workerConcurrency: CONCURRENCY,
		rateLimit: false,
	});
	const api = Fastify();
	await api.register(webhooks.fastifyPlugin, { prefix: '/api' });
	await api.ready();
	await webhooks.startWorkers();
	return { receiver, dataSource, webhooks, api, queuePrefix };
}

async function stopRig(rig: Rig, ownerIds: readonly string[]): Promise<void> {
	await rig.webhooks.close();
	await rig.api.close();
	for (const ownerId of ownerIds) await rig.dataSource.query('DELETE FROM "webhook" WHERE "userId" = $1', [ownerId]).catch(() => undefined);
	await rig.dataSource.destroy();
	await deleteKeys(rig.queuePrefix);
}

/** Creates `perOwner` note webhooks for each owner through `i/webhooks/create`, spread over the receiver's hosts. */
async function createOwnerWebhooks(rig: Rig, owners: number, perOwner: number, runId: string): Promise<Map<string, string[]>> {
	const byOwner = new Map<string, string[]>();
	let n = 0;
	for (let o = 0; o < owners; o++) {
		const ownerId = `${runId}o${o}`;
		const ids: string[] = [];
		for (let w = 0; w < perOwner; w++) {
			const response = await rig.api.inject({
				method: 'POST',
				url: '/api/i/webhooks/create',
				headers: { authorization: `Bearer ${ownerId}` },
				payload: { name: `bench ${o}/${w}`, url: rig.receiver.urls[n++ % rig.receiver.urls.length], secret: 'bench-secret', on: ['note'] },
			});
			if (response.statusCode !== 200) throw new Error(`i/webhooks/create answered ${response.statusCode}: ${response.body}`);
			ids.push((response.json() as { id: string }).id);
		}
		byOwner.set(ownerId, ids);
	}
	return byOwner;
}

/** Misskey's envelope of one `note` delivery as the baselines send it (the receiver keys arrivals by hook and note). */
function envelopeOf(event: RaisedEvent, hookId: string, ownerId: string, body: unknown) {
	return { server: SERVER_URL, hookId, userId: ownerId, eventId: `${hookId}-${event.noteId}`, createdAt: Date.now(), type: 'note', body };
}

/** Bare Bull 4 + got, ready to take jobs; `raise` adds one job per delivery of an event. */
async function startBaseline(): Promise<{ raise(event: RaisedEvent, ownerId: string, urlOf: (hookId: string) => string): Promise<void>; close(): Promise<void> }> {
	const prefix = `bench-e2e-baseline-${process.pid}-${Date.now()}`;
	const queue = new Bull<{ to: string; envelope: unknown }>('userWebhookDeliver', redisUrl, { prefix });
	const agent = new http.Agent({ keepAlive: true });
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
	await queue.isReady();
	return {
		async raise(event, ownerId, urlOf) {
			// The baseline packs once per event too; then one `queue.add` per delivery.
			const body = { note: packedNote(event.noteId, ownerId) };
			await Promise.all(event.hookIds.map((hookId) => queue.add(
				{ to: urlOf(hookId), envelope: envelopeOf(event, hookId, ownerId, body) },
				{ removeOnComplete: true, removeOnFail: true, attempts: 1 },
			)));
		},
		async close() {
			await queue.close();
			agent.destroy();
			await deleteKeys(prefix);
		},
	};
}

/**
 * The floor under every queue: each delivery POSTed straight from the raising process with `node:http` and a keep-alive
 * agent holding CONCURRENCY / RECEIVER_HOSTS sockets per receiver host (CONCURRENCY in all), no queue, no retry.
 */
function startRawHttp(): { raise(event: RaisedEvent, ownerId: string, urlOf: (hookId: string) => string): Promise<void>; close(): void } {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY / RECEIVER_HOSTS });
	const post = (to: string, body: string) => new Promise<void>((resolve, reject) => {
		const request = http.request(to, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Misskey-Hook-Secret': 'bench-secret' } }, (response) => {
			response.resume();
			response.on('end', () => (response.statusCode! < 300 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
		});
		request.on('error', reject);
		request.end(body);
	});
	return {
		async raise(event, ownerId, urlOf) {
			const body = { note: packedNote(event.noteId, ownerId) };
			await Promise.all(event.hookIds.map((hookId) => post(urlOf(hookId), JSON.stringify(envelopeOf(event, hookId, ownerId, body)))));
		},
		close: () => agent.destroy(),
	};
}

export async function deleteKeys(prefix: string): Promise<void> {
	const redis = new Redis(redisUrl);
	try {
		const keys = await redis.keys(`${prefix}:*`);
		for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
	} finally {
		redis.disconnect();
	}
}

/** Raises every event through `raise` and waits until the receiver has every delivery (or the timeout). */
async function runThroughput(receiver: ArrivalReceiver, events: RaisedEvent[], raise: (event: RaisedEvent) => Promise<void>): Promise<ThroughputSide> {
	const expected = events.reduce((sum, event) => sum + event.hookIds.length, 0);
	const { complete } = await receiver.expect(expected);
	const startedAt = now();
	const raising: Promise<void>[] = [];
	for (const event of events) {
		event.raisedAtMs = now();
		raising.push(raise(event));
	}
	await Promise.all(raising);
	const lastAt = await complete;
	const { ledger } = ledgerOf(events, await receiver.collect());
	const seconds = (lastAt - startedAt) / 1000;
	return { seconds: round2(seconds), deliveriesPerSecond: Math.round(ledger.delivered / seconds), ledger };
}

/**
 * One side's throughput run alone, under V8's CPU profiler: prints the main thread's CPU per delivery and how busy its
 * event loop was, and writes the profile of just that run to bench/results/end-to-end-<side>.cpuprofile.
 */
async function profileOneSide(side: 'module' | 'baseline', receiver: ArrivalReceiver, events: RaisedEvent[], raise: (event: RaisedEvent) => Promise<void>): Promise<void> {
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	const cpuBefore = process.cpuUsage();
	const loopBefore = nodePerformance.eventLoopUtilization();
	const run = PROFILE_LATENCY ? await runLatency(receiver, events, raise) : await runThroughput(receiver, events, raise);
	const cpu = process.cpuUsage(cpuBefore);
	const busy = nodePerformance.eventLoopUtilization(loopBefore).utilization;
	const { profile } = await session.post('Profiler.stop');
	session.disconnect();
	const file = new URL(`./results/end-to-end-${side}${PROFILE_LATENCY ? '-latency' : ''}.cpuprofile`, import.meta.url);
	await mkdir(new URL('./results/', import.meta.url), { recursive: true });
	await writeFile(file, JSON.stringify(profile));
	const pace = 'deliveriesPerSecond' in run ? `${run.deliveriesPerSecond} deliveries/s` : `${LATENCY_RATE_PER_SECOND} events/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`;
	console.log(`${side} alone: ${pace}, ${Math.round((cpu.user + cpu.system) / run.ledger.delivered)} µs of CPU per delivery, event loop busy ${Math.round(busy * 100)} % of the time${run.ledger.balanced ? '' : ' — VOID'}`);
	console.log(`profile of the run: ${fileURLToPath(file)}; summary: npx tsx bench/profile-summary.ts ${fileURLToPath(file)} ${run.ledger.delivered}`);
}

/**
 * Raises events at a fixed offered rate; each event's latency counts from its scheduled moment, so a generator that
 * falls behind shows its own delay instead of hiding it.
 */
async function runLatency(receiver: ArrivalReceiver, events: RaisedEvent[], raise: (event: RaisedEvent) => Promise<void>): Promise<LatencySide> {
	const expected = events.reduce((sum, event) => sum + event.hookIds.length, 0);
	const { complete } = await receiver.expect(expected);
	const intervalMs = 1000 / LATENCY_RATE_PER_SECOND;
	const cpuBefore = process.cpuUsage();
	const loopBefore = nodePerformance.eventLoopUtilization();
	const startAt = now() + 50;
	const raising: Promise<void>[] = [];
	for (let i = 0; i < events.length; i++) {
		const dueAt = startAt + i * intervalMs;
		events[i].raisedAtMs = dueAt;
		const waitMs = dueAt - now();
		if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
		raising.push(raise(events[i]));
	}
	await Promise.all(raising);
	await complete;
	const cpu = process.cpuUsage(cpuBefore);
	const loopBusy = round2(nodePerformance.eventLoopUtilization(loopBefore).utilization);
	const { ledger, latenciesMs } = ledgerOf(events, await receiver.collect());
	const sorted = latenciesMs.sort((a, b) => a - b);
	const cpuMicrosPerDelivery = Math.round((cpu.user + cpu.system) / Math.max(1, ledger.delivered));
	return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: round2(sorted.at(-1) ?? Number.NaN), cpuMicrosPerDelivery, loopBusy, ledger };
}

function eventsFor(byOwner: Map<string, string[]>, count: number, tag: string): { events: RaisedEvent[]; ownerOf: Map<string, string> } {
	const owners = [...byOwner.keys()];
	const ownerOf = new Map<string, string>();
	const events = Array.from({ length: count }, (_, i) => {
		const ownerId = owners[i % owners.length];
		const noteId = `${ownerId}-${tag}${i}`;
		ownerOf.set(noteId, ownerId);
		return { noteId, raisedAtMs: 0, hookIds: byOwner.get(ownerId)! };
	});
	return { events, ownerOf };
}

/** One round of a comparison: each side's figure (deliveries/s, or p99 ms), their ratio, and whether both ledgers balanced. */
export interface RoundFigures { module: number; baseline: number; ratio: number; balanced: boolean }

/** The module and the baseline side by side `ROUNDS` times; `module`, `baseline` and the ratio are the median round's. */
interface ThroughputFigures { deliveries: number; fanout: number; receiverHosts: number; module: ThroughputSide; baseline: ThroughputSide; moduleOverBaseline: number; rounds: RoundFigures[]; target: number }

export interface EndToEndFigures {
	/** One webhook per event. */
	throughput: ThroughputFigures;
	/** THROUGHPUT_FANOUT webhooks per event. */
	throughputFannedOut: ThroughputFigures;
	/** One webhook per event again, POSTed by `node:http` with no queue: what the machine allows, beside both. */
	rawHttp: { side: ThroughputSide; moduleOverRaw: number; baselineOverRaw: number };
	latency: { ratePerSecond: number; seconds: number; module: LatencySide; baseline: LatencySide; p99OverBaseline: number; rounds: RoundFigures[]; target: number };
	/** false when any side's ledger did not balance: then the run is void and its figures mean nothing. */
	valid: boolean;
}

/** Both end-to-end modes in one run, each beside its baseline; the module's rig stays up between them. */
export async function benchEndToEnd(): Promise<EndToEndFigures | null> {
	const receiver = await ArrivalReceiver.start(RECEIVER_HOSTS);
	const runId = `e2e${Date.now().toString(36)}`;
	const rig = await startRig(receiver, `bench-e2e-${runId}`);
	const owners: string[] = [];
	try {
		const fanoutOwners = await createOwnerWebhooks(rig, RECEIVER_HOSTS * 2, THROUGHPUT_FANOUT, `${runId}f`);
		const singleOwners = await createOwnerWebhooks(rig, RECEIVER_HOSTS * 2, 1, `${runId}s`);
		owners.push(...fanoutOwners.keys(), ...singleOwners.keys());
		const urlOfHook = new Map<string, string>();
		let n = 0;
		for (const ids of [...fanoutOwners.values(), ...singleOwners.values()]) for (const id of ids) urlOfHook.set(id, receiver.urls[n++ % receiver.urls.length]);
		const baseline = await startBaseline();
		const rawHttp = startRawHttp();
		try {
			const raiseModule = (ownerOf: Map<string, string>) => (event: RaisedEvent) =>
				rig.webhooks.events.noteCreated({ note: { id: event.noteId, userId: ownerOf.get(event.noteId)!, visibility: 'public' } });
			const raiseBaseline = (ownerOf: Map<string, string>) => (event: RaisedEvent) => baseline.raise(event, ownerOf.get(event.noteId)!, (hookId) => urlOfHook.get(hookId)!);

			// Warm both sides up (connections, JIT, statement caches) before anything is timed.
			const warm = eventsFor(fanoutOwners, 250, 'warm');
			await runThroughput(receiver, warm.events, raiseModule(warm.ownerOf));
			const warmBase = eventsFor(fanoutOwners, 250, 'warmb');
			await runThroughput(receiver, warmBase.events, raiseBaseline(warmBase.ownerOf));

			if (PROFILE_SIDE !== undefined) {
				const ofSide = eventsFor(singleOwners, PROFILE_LATENCY ? LATENCY_RATE_PER_SECOND * LATENCY_SECONDS : THROUGHPUT_DELIVERIES, 'profile');
				await profileOneSide(PROFILE_SIDE, receiver, ofSide.events, PROFILE_SIDE === 'module' ? raiseModule(ofSide.ownerOf) : raiseBaseline(ofSide.ownerOf));
				return null;
			}
			const throughputOf = async (ownersOf: Map<string, string[]>, fanout: number, tag: string): Promise<ThroughputFigures> => {
				const eventCount = Math.ceil(THROUGHPUT_DELIVERIES / fanout);
				const rounds = await inRounds(async (side, round) => {
					const ofSide = eventsFor(ownersOf, eventCount, `${tag}${side === 'baseline' ? 'b' : 'm'}${round}`);
					return runThroughput(receiver, ofSide.events, side === 'baseline' ? raiseBaseline(ofSide.ownerOf) : raiseModule(ofSide.ownerOf));
				}, (module, baseline) => module.deliveriesPerSecond / baseline.deliveriesPerSecond);
				const median = medianRound(rounds);
				return {
					deliveries: eventCount * fanout,
					fanout,
					receiverHosts: RECEIVER_HOSTS,
					module: median.module,
					baseline: median.baseline,
					moduleOverBaseline: median.ratio,
					rounds: rounds.map((round) => ({ module: round.module.deliveriesPerSecond, baseline: round.baseline.deliveriesPerSecond, ratio: round.ratio, balanced: round.balanced })),
					target: 1,
				};
			};
			const throughput = await throughputOf(singleOwners, 1, 't1');
			const ofRaw = eventsFor(singleOwners, THROUGHPUT_DELIVERIES, 't1r');
			const raw = await runThroughput(receiver, ofRaw.events, (event) => rawHttp.raise(event, ofRaw.ownerOf.get(event.noteId)!, (hookId) => urlOfHook.get(hookId)!));
			const throughputFannedOut = await throughputOf(fanoutOwners, THROUGHPUT_FANOUT, 't4');

			const latencyEvents = LATENCY_RATE_PER_SECOND * LATENCY_SECONDS;
			const latencyRounds = await inRounds(async (side, round) => {
				const ofSide = eventsFor(singleOwners, latencyEvents, `l${side === 'baseline' ? 'b' : 'm'}${round}`);
				return runLatency(receiver, ofSide.events, side === 'baseline' ? raiseBaseline(ofSide.ownerOf) : raiseModule(ofSide.ownerOf));
			}, (module, baseline) => module.p99Ms / baseline.p99Ms);
			const latencyMedian = medianRound(latencyRounds);

			const figures: EndToEndFigures = {
				throughput,
				throughputFannedOut,
				rawHttp: { side: raw, moduleOverRaw: round2(throughput.module.deliveriesPerSecond / raw.deliveriesPerSecond), baselineOverRaw: round2(throughput.baseline.deliveriesPerSecond / raw.deliveriesPerSecond) },
				latency: {
					ratePerSecond: LATENCY_RATE_PER_SECOND,
					seconds: LATENCY_SECONDS,
					module: latencyMedian.module,
					baseline: latencyMedian.baseline,
					p99OverBaseline: latencyMedian.ratio,
					rounds: latencyRounds.map((round) => ({ module: round.module.p99Ms, baseline: round.baseline.p99Ms, ratio: round.ratio, balanced: round.balanced })),
					target: 2,
				},
				// Every round counts: one ledger that does not balance voids the run.
				valid: raw.ledger.balanced && [...throughput.rounds, ...throughputFannedOut.rounds, ...latencyRounds].every((round) => round.balanced),
			};
			printFigures(figures);
			await mkdir(new URL('./results/', import.meta.url), { recursive: true });
			await writeFile(new URL('./results/end-to-end.json', import.meta.url), JSON.stringify(figures, null, '\t') + '\n');
			return figures;
		} finally {
			await baseline.close();
			rawHttp.close();
		}
	} finally {
		await stopRig(rig, owners);
		await receiver.stop();
	}
}

interface Round<Side> { module: Side; baseline: Side; ratio: number; balanced: boolean }

/** `ROUNDS` runs of each side, taking turns at going first, with each round's ratio of module over baseline. */
async function inRounds<Side extends { ledger: Ledger }>(run: (side: 'module' | 'baseline', round: number) => Promise<Side>, ratioOf: (module: Side, baseline: Side) => number): Promise<Array<Round<Side>>> {
	const rounds: Array<Round<Side>> = [];
	for (let round = 1; round <= ROUNDS; round++) {
		const first = round % 2 === 1 ? 'baseline' : 'module';
		const firstSide = await run(first, round);
		const secondSide = await run(first === 'baseline' ? 'module' : 'baseline', round);
		const [module, baseline] = first === 'module' ? [firstSide, secondSide] : [secondSide, firstSide];
		rounds.push({ module, baseline, ratio: round2(ratioOf(module, baseline)), balanced: module.ledger.balanced && baseline.ledger.balanced });
	}
	return rounds;
}

/** The round whose ratio is the median (the lower of the middle two for an even count). */
function medianRound<R extends { ratio: number }>(rounds: readonly R[]): R {
	const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

function printFigures(figures: EndToEndFigures): void {
	const { latency: l } = figures;
	const ledger = (x: Ledger) => `raised ${x.raised} = delivered ${x.delivered} + missing ${x.missing}; ${x.duplicates} duplicate(s)${x.balanced ? '' : ' — VOID'}`;
	for (const t of [figures.throughput, figures.throughputFannedOut]) {
		console.log(`end to end, ${t.deliveries} deliveries (${t.fanout === 1 ? 'one webhook' : `${t.fanout} webhooks`} per note event, ${NOTE_TEXT_BYTES}-byte note text, ${t.receiverHosts} receiver hosts):`);
		console.log(`  bare Bull 4 + got   ${String(t.baseline.deliveriesPerSecond).padStart(7)} deliveries/s  ${ledger(t.baseline.ledger)}`);
		console.log(`  the module          ${String(t.module.deliveriesPerSecond).padStart(7)} deliveries/s  ${ledger(t.module.ledger)}`);
		console.log(`  module / baseline: ${t.moduleOverBaseline} (target ≥ ${t.target}), the median of ${t.rounds.length} rounds: ${roundsOf(t.rounds, '/s')}`);
	}
	const r = figures.rawHttp;
	console.log(`the same ${figures.throughput.deliveries} deliveries POSTed straight with node:http (keep-alive, ${CONCURRENCY} sockets, no queue):`);
	console.log(`  raw node:http       ${String(r.side.deliveriesPerSecond).padStart(7)} deliveries/s  ${ledger(r.side.ledger)}`);
	console.log(`  module / raw: ${r.moduleOverRaw}; bare Bull + got / raw: ${r.baselineOverRaw}`);
	console.log(`latency from the raised event to the receiver, ${l.ratePerSecond} events/s for ${l.seconds} s, one webhook per event (the median round's):`);
	console.log(`  bare Bull 4 + got   p50 ${l.baseline.p50Ms} ms, p99 ${l.baseline.p99Ms} ms, max ${l.baseline.maxMs} ms, ${l.baseline.cpuMicrosPerDelivery} µs CPU per delivery, event loop busy ${Math.round(l.baseline.loopBusy * 100)} %  ${ledger(l.baseline.ledger)}`);
	console.log(`  the module          p50 ${l.module.p50Ms} ms, p99 ${l.module.p99Ms} ms, max ${l.module.maxMs} ms, ${l.module.cpuMicrosPerDelivery} µs CPU per delivery, event loop busy ${Math.round(l.module.loopBusy * 100)} %  ${ledger(l.module.ledger)}`);
	console.log(`  module p99 / baseline p99: ${l.p99OverBaseline} (target ≤ ${l.target}), the median of ${l.rounds.length} rounds: ${roundsOf(l.rounds, ' ms')}`);
	if (!figures.valid) console.log('the run is VOID: a ledger did not balance');
}

// Each round as "ratio (module vs baseline)", in the order they ran.
function roundsOf(rounds: readonly RoundFigures[], unit: string): string {
	return rounds.map((round) => `${round.ratio} (${round.module} vs ${round.baseline}${unit}${round.balanced ? '' : ', VOID'})`).join(', ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchEndToEnd();
	process.exit(0);
}
