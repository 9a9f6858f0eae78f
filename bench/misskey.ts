import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { api, createAccount, createRootAccount, startMisskey, type Account, type MisskeyProcess, type MisskeyRole } from '../test/misskey-server/misskey-process.js';
import type { Arrival } from './arrival-receiver-process.js';
import { ArrivalReceiver } from './arrival-receiver.js';
import type { BareDrainCommand, BareDrainReport } from './misskey-bare-drain.js';
import { nextReport } from './receiver-client.js';
import { postgresCpuMs, postmasterOfBackend, processCpuMs } from './process-cpu.js';

// Stock Misskey beside Misskey with the module, in the real server; bench/misskey.sh builds the trees and runs this.
// Each side (stock with its webhook limits lifted, the module, stock as shipped) gets a redis-server of its own, a fresh
// database copied from its template, a web process (MK_ONLY_SERVER) and a queue process (MK_ONLY_QUEUE) on Node 22 with
// NODE_ENV=production, and users with one `note` webhook each, made through `i/webhooks/create` (stock's endpoint on
// stock, the module's on the integrated server), all pointing at one receiver in another process. All sides run at
// once and take turns, round by round, so that the machine's drift over minutes falls on each of them alike:
//   write path   8 posters, 2,000 notes a side through notes/create with delivery on (4 rounds of 500); then 2,000 more
//                with the queue processes stopped, which separates the web process's share
//   PostgreSQL   the cluster's CPU per note over each write round, from /proc
//   latency      500 notes a side at 20/s (5 rounds of 100), each note's createdAt (and the start of its post) to its
//                arrival at the receiver
//   backlog      the delivery-off rounds' 2,000 deliveries, queued; then each side's queue process starts in turn and
//                drains them
// Then bare Bull 4 + got drains the same backlog to the same receiver: the floor the module's drain is held to, in a
// process of its own; and once more inside a fresh queue process of the module's side, which tells what that process
// costs any worker from what the module's own work costs. Every round keeps a ledger (posted = delivered + missing,
// duplicates and unknown arrivals apart); one missing or unknown delivery, or one failed post, makes the run void.

const POSTERS = 8;
const WRITE_NOTES = Number(process.env.MISSKEY_BENCH_WRITE_NOTES ?? 2_000);
const LATENCY_RATE = 20;
const LATENCY_NOTES = Number(process.env.MISSKEY_BENCH_LATENCY_NOTES ?? 500);
const WARMUP_NOTES = 200;
const WRITE_ROUNDS = 4;
const IDLE_WINDOW_MS = 5_000;
const LATENCY_ROUNDS = 5;
// notes/create's own limit in Misskey 2025.9 (`limit: { duration: ms('1hour'), max: 300 }`, per user, times the role's
// rateLimitFactor, 1 by default). Each user posts at most half of it in a side, so none meets it; every side starts
// from a fresh Redis, which holds the counters.
const NOTES_CREATE_PER_HOUR = 300;
const NOTES_PER_SIDE = WARMUP_NOTES + WRITE_NOTES + LATENCY_NOTES + WRITE_NOTES;
const USERS = Math.ceil(NOTES_PER_SIDE / (NOTES_CREATE_PER_HOUR / 2));
// What follows the last response (stock packs and enqueues after answering; the module's writes settle) still counts.
const SETTLE_MS = 2_000;
const DELIVERY_TIMEOUT_MS = 180_000;
// A note of ordinary length: Misskey copies the text into the note, the packed body and every job.
const TEXT = 'A note of the side-by-side benchmark, about as long as an ordinary post on a Misskey server; its number: ';

const TARGETS = { notesPerSecond: 0.95, postgresCpuPerNote: 1.3, latencyP50: 1, drainOverBare: 1 } as const;

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: bench/misskey.sh sets it`);
	return value;
}

const work = required('MISSKEY_BENCH_WORK');
// The first account's password in every side's config; startMisskey's helpers read it from the environment.
const SETUP_PASSWORD = 'bench-setup';
process.env.MISSKEY_SETUP_PASSWORD = SETUP_PASSWORD;
const basePort = Number(process.env.MISSKEY_BENCH_PORT ?? 61830);
const profiledSides = (process.env.MISSKEY_BENCH_PROFILE ?? '').split(',').filter((name) => name !== '');
// The profiled drain's profile from its queue process's spawn, boot included, rather than from its word that its queue started.
const PROFILE_DRAIN_FROM_SPAWN = process.env.MISSKEY_BENCH_PROFILE_DRAIN_FROM_SPAWN === '1';
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const now = () => performance.timeOrigin + performance.now();

type SideName = 'lifted' | 'module' | 'stock';
interface SideSpec {
	name: SideName;
	label: string;
	tree: string;
	template: string;
}
// The compared pair first, one after the other; stock as shipped, only reported, after them.
const SIDES: SideSpec[] = [
	{ name: 'lifted', label: 'stock, limits lifted', tree: 'stock-lifted', template: 'mk_bench_template_stock' },
	{ name: 'module', label: 'with the module', tree: 'module', template: 'mk_bench_template_module' },
	{ name: 'stock', label: 'stock as shipped', tree: 'stock', template: 'mk_bench_template_stock' },
];
const chosen = (process.env.MISSKEY_BENCH_SIDES ?? 'lifted,module,stock').split(',');
if (profiledSides.some((name) => !SIDES.some((side) => side.name === name))) throw new Error(`MISSKEY_BENCH_PROFILE names sides among ${SIDES.map((side) => side.name).join(', ')}`);

// ---------------------------------------------------------------------------------------------------------------------
// CPU time from /proc

/** PostgreSQL's CPU over a window, ms: the cluster's, and whose. */
interface PostgresUse {
	/** Every PostgreSQL process of the cluster, the exited ones with them (the postmaster's cutime and cstime). */
	clusterMs: number;
	/** The backends serving the side's database (autovacuum's workers on it included). */
	databaseMs: number;
	/** The processes that serve no database: WAL writer, checkpointer, background writer, launchers. */
	backgroundMs: number;
	/** Backends of other databases: the cluster is shared. */
	othersMs: number;
	/** Processes that came and went between two looks, whose database was never seen: other databases' short connections, mostly. */
	unseenMs: number;
}

const PG_SAMPLE_MS = 200;

/**
 * Watches PostgreSQL's processes through a window: every PG_SAMPLE_MS which backend serves which database
 * (pg_stat_activity) and each process's CPU (/proc), so the time of the side's own backends and of the server's
 * background processes can be told from that of other databases' sessions on the shared cluster. A backend that exits
 * keeps what it used up to the last look; what the cluster used beyond all the looks is `unseenMs`.
 */
class PostgresWatch {
	private readonly seen = new Map<number, { ms: number; kind: keyof Omit<PostgresUse, 'clusterMs' | 'unseenMs'> | null }>();
	private readonly use = { databaseMs: 0, backgroundMs: 0, othersMs: 0 };
	private startMs = 0;
	private looking: Promise<void> | null = null;
	private timer: NodeJS.Timeout | null = null;
	private stopped = false;

	private constructor(private readonly postmaster: number, private readonly client: pg.Client, private readonly database: string | null) {}

	/** `client` is the watch's own connection (one watch at a time): a pg client runs one query at a time. */
	static async start(postmaster: number, client: pg.Client, database: string | null): Promise<PostgresWatch> {
		const watch = new PostgresWatch(postmaster, client, database);
		watch.startMs = postgresCpuMs(postmaster).totalMs;
		await watch.look(true);
		const loop = () => {
			if (!watch.stopped) watch.timer = setTimeout(() => { watch.looking = watch.look(false).then(loop); }, PG_SAMPLE_MS);
		};
		loop();
		return watch;
	}

	async stop(): Promise<PostgresUse> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		await this.looking;
		await this.look(false);
		const clusterMs = postgresCpuMs(this.postmaster).totalMs - this.startMs;
		return { clusterMs, ...this.use, unseenMs: Math.max(0, clusterMs - this.use.databaseMs - this.use.backgroundMs - this.use.othersMs) };
	}

	/** One look: each process's CPU since the last, counted to whom it served; the first look only takes the baseline. */
	private async look(baseline: boolean): Promise<void> {
		const { rows } = await this.client.query<{ pid: number; datname: string | null; mine: boolean }>('SELECT pid, datname, pid = pg_backend_pid() AS mine FROM pg_stat_activity');
		const kindOf = new Map(rows.map((row) => [row.pid, row.mine ? 'othersMs' as const : row.datname === null ? 'backgroundMs' as const : row.datname === this.database ? 'databaseMs' as const : 'othersMs' as const]));
		for (const [pid, ms] of postgresCpuMs(this.postmaster).byPid) {
			const kind = kindOf.get(pid) ?? this.seen.get(pid)?.kind ?? null;
			const last = this.seen.get(pid);
			// A process first seen after the baseline started within the window: all its time is the window's. One not yet
			// in pg_stat_activity waits for a later look to be told apart.
			if (!baseline && kind !== null) this.use[kind] += ms - (last?.kind ? last.ms : 0);
			if (baseline || kind !== null) this.seen.set(pid, { ms, kind });
		}
	}
}

interface Snapshot {
	at: number;
	web: number;
	queue: number;
	redis: number;
	/** The side's database: transactions, and rows inserted, updated and deleted per table, from PostgreSQL's statistics. */
	transactions: number;
	tables: Map<string, [number, number, number]>;
}

/** Rows a table got per note: inserted, updated, deleted. */
type TableWrites = { inserted: number; updated: number; deleted: number };

interface CpuFigures {
	seconds: number;
	/** PostgreSQL's CPU for the side: its database's backends and the server's background processes. */
	postgresMsPerNote: number;
	/** The whole cluster's, whoever it served: the same as postgresMsPerNote when nothing else uses PostgreSQL. */
	postgresClusterMsPerNote: number;
	/** What other databases' sessions were seen to use in the windows, and what came and went unseen: shared figures when much above 0. */
	otherDatabasesMs: number;
	unseenMs: number;
	webMsPerNote: number;
	queueMsPerNote: number;
	redisMsPerNote: number;
	/**
	 * What the side's database did per note, from PostgreSQL's cumulative statistics, which backends report up to a few
	 * seconds late: about right over a phase, to tell where PostgreSQL's time went, not exact.
	 */
	transactionsPerNote: number;
	rowsPerNote: Record<string, TableWrites>;
}

/** CPU time and database work, summed over the windows (rounds) of one phase of one side. */
class Usage {
	private seconds = 0;
	private postgresMs = 0;
	private clusterMs = 0;
	private otherMs = 0;
	private unseenMs = 0;
	private webMs = 0;
	private queueMs = 0;
	private redisMs = 0;
	private transactions = 0;
	private readonly tables = new Map<string, [number, number, number]>();
	/** What the windows' deliveries or notes were: the figures are per one of them. */
	count = 0;

	add(before: Snapshot, after: Snapshot, postgres: PostgresUse, count: number): void {
		this.count += count;
		this.seconds += (after.at - before.at) / 1000;
		this.postgresMs += postgres.databaseMs + postgres.backgroundMs;
		this.clusterMs += postgres.clusterMs;
		this.otherMs += postgres.othersMs;
		this.unseenMs += postgres.unseenMs;
		this.webMs += after.web - before.web;
		this.queueMs += after.queue - before.queue;
		this.redisMs += after.redis - before.redis;
		this.transactions += after.transactions - before.transactions;
		for (const [table, rows] of after.tables) {
			const earlier = before.tables.get(table) ?? [0, 0, 0];
			const sum = this.tables.get(table) ?? [0, 0, 0];
			this.tables.set(table, [0, 1, 2].map((i) => sum[i] + rows[i] - earlier[i]) as [number, number, number]);
		}
	}

	figures(): CpuFigures {
		const per = (ms: number) => round3(ms / Math.max(1, this.count));
		const rowsPerNote: Record<string, TableWrites> = {};
		for (const [table, [inserted, updated, deleted]] of this.tables) {
			const writes = { inserted: round2(inserted / this.count), updated: round2(updated / this.count), deleted: round2(deleted / this.count) };
			// Tables a note hardly touches (a row now and then, from periodic work) are left out.
			if (writes.inserted + writes.updated + writes.deleted >= 0.05) rowsPerNote[table] = writes;
		}
		return {
			seconds: round2(this.seconds),
			postgresMsPerNote: per(this.postgresMs),
			postgresClusterMsPerNote: per(this.clusterMs),
			otherDatabasesMs: Math.round(this.otherMs),
			unseenMs: Math.round(this.unseenMs),
			webMsPerNote: per(this.webMs),
			queueMsPerNote: per(this.queueMs),
			redisMsPerNote: per(this.redisMs),
			transactionsPerNote: round2(this.transactions / Math.max(1, this.count)),
			rowsPerNote,
		};
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// The receiver, the ledger, percentiles

export interface Ledger {
	posted: number;
	delivered: number;
	missing: number;
	duplicates: number;
	/**
	 * Notes of an earlier phase of the side that arrived again in this one: delivery is at least once, and a job whose
	 * queue process stopped between sending and recording it is sent again by the next one. Not a fault of this phase.
	 */
	earlierAgain: number;
	/** Arrivals that match no note the side posted: any makes the run void. */
	strangers: number;
	/** A few of the strangers (`<hook id> <note id>`), to tell what they were. */
	strangerSample: string[];
	balanced: boolean;
}

/** One accepted notes/create: whose webhook should get it, and when (epoch ms) it was sent, answered and created. */
interface Post {
	hookId: string;
	noteId: string;
	sentAt: number;
	doneAt: number;
	createdAt: number;
}

/** posted = delivered + missing for one phase; `earlier` holds the keys of the side's notes posted before it. */
function ledgerOf(posts: readonly Post[], arrivals: readonly Arrival[], earlier: ReadonlySet<string> = new Set()): { ledger: Ledger; arrivalOf: Map<string, number> } {
	const expected = new Set(posts.map(keyOf));
	const arrivalOf = new Map<string, number>();
	let duplicates = 0;
	let earlierAgain = 0;
	const strangers: string[] = [];
	for (const [hookId, noteId, at] of arrivals) {
		const key = `${hookId} ${noteId}`;
		if (expected.has(key)) {
			if (arrivalOf.has(key)) duplicates++;
			else arrivalOf.set(key, at);
		} else if (earlier.has(key)) earlierAgain++;
		else strangers.push(key);
	}
	const missing = expected.size - arrivalOf.size;
	return {
		ledger: { posted: posts.length, delivered: arrivalOf.size, missing, duplicates, earlierAgain, strangers: strangers.length, strangerSample: strangers.slice(0, 3), balanced: missing === 0 && strangers.length === 0 },
		arrivalOf,
	};
}

const keyOf = (post: Post) => `${post.hookId} ${post.noteId}`;

/** The ledgers of a phase's rounds as one. */
function sumLedgers(ledgers: readonly Ledger[]): Ledger {
	const sum = (pick: (ledger: Ledger) => number) => ledgers.reduce((total, ledger) => total + pick(ledger), 0);
	return {
		posted: sum((ledger) => ledger.posted),
		delivered: sum((ledger) => ledger.delivered),
		missing: sum((ledger) => ledger.missing),
		duplicates: sum((ledger) => ledger.duplicates),
		earlierAgain: sum((ledger) => ledger.earlierAgain),
		strangers: sum((ledger) => ledger.strangers),
		strangerSample: ledgers.flatMap((ledger) => ledger.strangerSample).slice(0, 3),
		balanced: ledgers.every((ledger) => ledger.balanced),
	};
}

function percentile(sorted: readonly number[], share: number): number {
	if (sorted.length === 0) return Number.NaN;
	return round2(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]);
}

function spread(values: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
	const sorted = [...values].sort((a, b) => a - b);
	return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: round2(sorted.at(-1) ?? Number.NaN) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * A redis-server of its own, empty, without persistence, resolved once it answers. Each Misskey gets one: Redis pub/sub
 * is shared across database numbers, and the rate-limit counters of notes/create live there.
 */
async function startRedis(port: number): Promise<ChildProcess> {
	const server = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: null });
	probe.on('error', () => undefined);
	try {
		await probe.connect().catch(() => undefined);
		if (await probe.ping() !== 'PONG') throw new Error(`redis-server on ${port} did not answer`);
	} finally {
		probe.disconnect();
	}
	// One that found the port taken has quit by now; what answered was someone else's.
	await sleep(200);
	if (server.exitCode !== null) throw new Error(`port ${port} is taken: set MISSKEY_BENCH_PORT`);
	return server;
}

// ---------------------------------------------------------------------------------------------------------------------
// One side

interface WriteFigures {
	notes: number;
	posters: number;
	/** Posting time, summed over the rounds. */
	seconds: number;
	notesPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	cpu: CpuFigures;
}

export interface SideFigures {
	side: SideName;
	label: string;
	users: number;
	failedPosts: number;
	/** A sample of why posts failed, when some did. */
	failures: string[];
	writeDeliveryOn: WriteFigures & { ledger: Ledger; lastDeliveryAfterLastPostSeconds: number };
	writeDeliveryOff: WriteFigures & { deliveredWhileStopped: number };
	latency: { notes: number; ratePerSecond: number; fromCreatedAt: ReturnType<typeof spread>; fromPost: ReturnType<typeof spread>; ledger: Ledger };
	backlog: {
		deliveries: number;
		/** From the first arrival to the last: the queue process's boot left out. */
		deliveriesPerSecond: number;
		/** From the queue process's spawn to the last arrival. */
		secondsFromSpawn: number;
		/**
		 * Ms from the process's word that its queue started to the first arrival. Misskey says so as it begins to start its
		 * workers (the module's first); the word is polled every 100 ms, so this may read up to 100 ms short.
		 */
		firstArrivalAfterQueueStartedMs: number;
		/** Ms from the first arrival until half, 90 %, 99 % and all of the backlog had arrived: a long tail shows here. */
		arrivedAfterMs: { half: number; p90: number; p99: number; all: number };
		queueMsPerDelivery: number;
		postgresMsPerDelivery: number;
		ledger: Ledger;
	};
	valid: boolean;
}

/** One phase's rounds of one side, as they add up. */
class Phase {
	readonly posts: Post[] = [];
	readonly usage = new Usage();
	readonly ledgers: Ledger[] = [];
	seconds = 0;
	lastDeliveryAfterLastPostMs = 0;
	deliveredWhileStopped = 0;

	write(): WriteFigures {
		return {
			notes: this.posts.length,
			posters: POSTERS,
			seconds: round2(this.seconds),
			notesPerSecond: Math.round(this.posts.length / this.seconds),
			...spread(this.posts.map((post) => post.doneAt - post.sentAt)),
			cpu: this.usage.figures(),
		};
	}
}

/**
 * One Misskey: its redis-server, its database (a copy of its template), its web and queue processes, its users and
 * their webhooks. The run drives the sides' rounds in turn; each round waits for its own deliveries.
 */
class Side {
	private web: MisskeyProcess | null = null;
	private queue: MisskeyProcess | null = null;
	private redis: ChildProcess | null = null;
	/** A connection to the side's database, for its statistics. */
	private db: pg.Client | null = null;
	private readonly users: Account[] = [];
	private readonly hookIds: string[] = [];
	private nextUser = 0;
	private readonly failures: string[] = [];
	private failed = 0;
	private profiles: string | null = null;
	private lastPost: Post | null = null;
	/** Every note the side posted, as `<hook id> <note id>`. */
	private readonly posted = new Set<string>();
	/** Every Misskey process this side started, by name, for its log. */
	private readonly started: Array<[string, MisskeyProcess]> = [];
	private readonly deliveryOn = new Phase();
	private readonly deliveryOff = new Phase();
	private readonly latencies = new Phase();
	private readonly latencyFromCreatedAt: number[] = [];
	private readonly latencyFromPost: number[] = [];
	private backlog: SideFigures['backlog'] | null = null;
	/** A note of this side as stock packs a webhook's, for bare Bull + got to send. */
	sample: unknown = null;
	readonly port: number;
	readonly redisPort: number;
	readonly database: string;
	readonly backend: string;

	constructor(readonly spec: SideSpec, index: number, private readonly admin: pg.Client, private readonly watchClient: pg.Client, private readonly postmaster: number, private readonly receiver: ArrivalReceiver) {
		this.port = basePort + index;
		this.redisPort = basePort + 10 + index;
		this.database = `mk_bench_${spec.name}`;
		this.backend = path.join(work, spec.tree, 'packages/backend');
	}

	private get configName() { return `bench-${this.spec.name}.yml`; }
	private get url() { return `http://127.0.0.1:${this.port}`; }

	/** Redis, database, config, both processes, the users with their webhooks, and a warm-up whose deliveries all arrive. */
	async up(): Promise<void> {
		this.redis = await startRedis(this.redisPort);
		await this.admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(this.database)} WITH (FORCE)`);
		await this.admin.query(`CREATE DATABASE ${pg.escapeIdentifier(this.database)} TEMPLATE ${pg.escapeIdentifier(this.spec.template)}`);
		this.db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${this.database}` });
		await this.db.connect();
		const config = path.join(this.backend, '../../.config', this.configName);
		// The lifted tree is stock's through hard links: a file is replaced, never written into.
		await rm(config, { force: true });
		await writeFile(config, [
			`url: http://127.0.0.1:${this.port}/`,
			`port: ${this.port}`,
			`setupPassword: ${SETUP_PASSWORD}`,
			`db: { host: 127.0.0.1, port: 5432, db: ${this.database}, user: postgres, pass: '' }`,
			'dbReplications: false',
			`redis: { host: 127.0.0.1, port: ${this.redisPort} }`,
			'id: aidx',
			'clusterLimit: 1',
			// The receiver listens on 127.0.0.1; both stock and the module guard private addresses.
			`allowedPrivateNetworks: ['127.0.0.1/32']`,
			'',
		].join('\n'));
		if (profiledSides.includes(this.spec.name)) {
			this.profiles = path.join(resultsDir, 'misskey-profiles', this.spec.name);
			await rm(this.profiles, { recursive: true, force: true });
			await mkdir(this.profiles, { recursive: true });
		}
		[this.web, this.queue] = await Promise.all([this.start('server'), this.start('queue')]);
		const root = await createRootAccount(this.url, 'root');
		for (let i = 0; i < USERS; i += 4) {
			this.users.push(...await Promise.all(Array.from({ length: Math.min(4, USERS - i) }, (_, j) => createAccount(this.url, root, `poster${i + j}`))));
		}
		for (const user of this.users) {
			const hook = await api<{ id: string }>(this.url, 'i/webhooks/create', { name: 'bench', url: this.receiver.urls[0], secret: 'bench-secret', on: ['note'] }, user.token);
			this.hookIds.push(hook.id);
		}
		// Every user posts (each webhook proven live in both processes), then the rest of the warm-up.
		const { complete } = await this.receiver.expect(WARMUP_NOTES);
		const { posts } = await this.postClosedLoop(WARMUP_NOTES, 'warm-up');
		await complete;
		const { ledger } = ledgerOf(posts, await this.receiver.collect(), this.posted);
		if (!ledger.balanced) throw new Error(`${this.spec.label}: the warm-up's deliveries did not all arrive: ${JSON.stringify(ledger)}`);
	}

	/** Both processes stopped, their output kept (bench/results/misskey-logs/<side>-<process>.log), Redis and the database gone. */
	async down(): Promise<void> {
		await this.queue?.stop();
		await this.web?.stop();
		this.redis?.kill('SIGTERM');
		const logs = path.join(resultsDir, 'misskey-logs');
		await mkdir(logs, { recursive: true });
		for (const [name, process] of this.started) await writeFile(path.join(logs, `${this.spec.name}-${name}.log`), process.output());
		await this.db?.end();
		await this.admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(this.database)} WITH (FORCE)`);
	}

	/**
	 * startMisskey of the Misskey stage, on this side's tree; under the profiler's preload when this side is profiled,
	 * and with `extra`'s preloads and environment as well.
	 */
	private async start(role: MisskeyRole, profileName = role === 'server' ? 'web' : 'queue', extra: { imports?: string[]; env?: Record<string, string> } = {}): Promise<MisskeyProcess> {
		const env: Record<string, string> = { MISSKEY_BACKEND: this.backend, ...extra.env };
		const imports = [...extra.imports ?? []];
		if (this.profiles) {
			imports.push(new URL('./misskey-profiler.js', import.meta.url).href);
			env.MISSKEY_BENCH_PROFILE_DIR = this.profiles;
			env.MISSKEY_BENCH_PROFILE_NAME = profileName;
		}
		if (imports.length > 0) env.NODE_OPTIONS = imports.map((url) => `--import=${url}`).join(' ');
		const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
		Object.assign(process.env, env);
		// startMisskey takes its environment when it spawns, before its first await.
		const starting = startMisskey({ config: this.configName, port: this.port, role });
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		const started = await starting;
		this.started.push([profileName, started]);
		return started;
	}

	/** One notes/create by the next user in turn; a failure is counted (it voids the run) and yields no post. */
	private async post(tag: string): Promise<Post | null> {
		const user = this.nextUser++ % USERS;
		const sentAt = now();
		try {
			const { createdNote } = await api<{ createdNote: { id: string; createdAt: string } }>(this.url, 'notes/create', { text: `${TEXT}${tag}` }, this.users[user].token);
			this.lastPost = { hookId: this.hookIds[user], noteId: createdNote.id, sentAt, doneAt: now(), createdAt: Date.parse(createdNote.createdAt) };
			this.posted.add(keyOf(this.lastPost));
			return this.lastPost;
		} catch (error) {
			this.failed++;
			if (this.failures.length < 5) this.failures.push(String(error));
			return null;
		}
	}

	/** `count` notes from POSTERS posters, each posting again as soon as its last was answered. */
	private async postClosedLoop(count: number, tag: string): Promise<{ posts: Post[]; seconds: number }> {
		const posts: Post[] = [];
		let next = 0;
		const startedAt = now();
		await Promise.all(Array.from({ length: POSTERS }, async () => {
			while (next < count) {
				const post = await this.post(`${tag} ${next++}`);
				if (post) posts.push(post);
			}
		}));
		return { posts, seconds: (now() - startedAt) / 1000 };
	}

	/** The side's processes' CPU times and its database's statistics. */
	private async snapshot(): Promise<Snapshot> {
		const cpu = { at: now(), web: processCpuMs(this.web?.child.pid), queue: processCpuMs(this.queue?.child.pid), redis: processCpuMs(this.redis?.pid) };
		const transactions = await this.admin.query<{ count: string }>('SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = $1', [this.database]);
		const tables = await this.db!.query<{ relname: string; ins: string; upd: string; del: string }>('SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del FROM pg_stat_user_tables');
		return { ...cpu, transactions: Number(transactions.rows[0]?.count ?? 0), tables: new Map(tables.rows.map((row) => [row.relname, [Number(row.ins), Number(row.upd), Number(row.del)]])) };
	}

	/**
	 * Switches the profiler (when this side is profiled) of the processes a phase measures: on before its first round,
	 * off after its last, which writes one profile per process (web-1: delivery on, web-2: delivery off, queue-1:
	 * delivery on, queue-restarted-1: backlog). Rounds of other sides in between are idle time in the profile.
	 */
	async profile(which: 'delivery' | 'web', on: boolean): Promise<void> {
		if (!this.profiles) return;
		const pids = (which === 'delivery' ? [this.web, this.queue] : [this.web]).map((process) => process?.child.pid).filter((pid) => pid !== undefined);
		const before = readdirSync(this.profiles).length;
		for (const pid of pids) process.kill(pid, 'SIGUSR2');
		// Each process writes its profile when it stops profiling; a large one takes a while.
		if (!on) for (let i = 0; i < 600 && readdirSync(this.profiles).length < before + pids.length; i++) await sleep(100);
	}

	/** One round of the write path: `count` notes from 8 posters; with delivery on, until every delivery arrived. */
	async writeRound(count: number, delivery: boolean): Promise<void> {
		const phase = delivery ? this.deliveryOn : this.deliveryOff;
		const armed = delivery ? await this.receiver.expect(count) : null;
		const before = await this.snapshot();
		const watch = await PostgresWatch.start(this.postmaster, this.watchClient, this.database);
		const { posts, seconds } = await this.postClosedLoop(count, delivery ? 'delivery on' : 'delivery off');
		const lastPost = now();
		const last = armed ? await armed.complete : Number.NaN;
		await sleep(SETTLE_MS);
		const postgres = await watch.stop();
		const after = await this.snapshot();
		const arrivals = await this.receiver.collect();
		phase.posts.push(...posts);
		phase.seconds += seconds;
		phase.usage.add(before, after, postgres, posts.length);
		if (delivery) {
			phase.ledgers.push(ledgerOf(posts, arrivals, this.posted).ledger);
			phase.lastDeliveryAfterLastPostMs = Math.max(phase.lastDeliveryAfterLastPostMs, last - lastPost);
		} else {
			// The receiver was not armed: what it kept since the last round came with no queue process running.
			const keys = new Set(posts.map(keyOf));
			phase.deliveredWhileStopped += arrivals.filter(([hookId, noteId]) => keys.has(`${hookId} ${noteId}`)).length;
		}
	}

	/** One round of the latency phase: `count` notes at LATENCY_RATE, each posted at its moment (open loop). */
	async latencyRound(count: number): Promise<void> {
		const { complete } = await this.receiver.expect(count);
		const pending: Array<Promise<Post | null>> = [];
		const startAt = now() + 100;
		for (let i = 0; i < count; i++) {
			const wait = startAt + (i * 1000) / LATENCY_RATE - now();
			if (wait > 0) await sleep(wait);
			pending.push(this.post(`latency ${i}`));
		}
		const posts = (await Promise.all(pending)).filter((post) => post !== null);
		await complete;
		const { ledger, arrivalOf } = ledgerOf(posts, await this.receiver.collect(), this.posted);
		this.latencies.ledgers.push(ledger);
		for (const post of posts) {
			const arrival = arrivalOf.get(keyOf(post));
			if (arrival === undefined) continue;
			this.latencyFromCreatedAt.push(arrival - post.createdAt);
			this.latencyFromPost.push(arrival - post.sentAt);
		}
		if (this.lastPost && this.sample === null) this.sample = { note: await api(this.url, 'notes/show', { noteId: this.lastPost.noteId }) };
	}

	/** Delivery switched off: the queue process stops, once the last deliveries' bookkeeping is done. */
	async stopQueue(): Promise<void> {
		// Bull's completion, statuses and the outbox row of the last deliveries: a job sent but not recorded would be sent
		// again by the next queue process.
		await sleep(SETTLE_MS);
		await this.queue?.stop();
		this.queue = null;
	}

	/** The delivery-off rounds' deliveries, queued: the queue process starts and drains them to the one receiver. */
	async drain(): Promise<void> {
		const posts = this.deliveryOff.posts;
		const { complete } = await this.receiver.expect(posts.length);
		const spawnedAt = now();
		const profiling = this.profiles !== null;
		// The profiler's start stalls a process that has compiled Misskey for about half a second: from the spawn, it has not.
		this.queue = await this.start('queue', 'queue-restarted', profiling && PROFILE_DRAIN_FROM_SPAWN ? { env: { MISSKEY_BENCH_PROFILE_FROM_START: '1' } } : {});
		const queueStartedAt = now();
		if (profiling && !PROFILE_DRAIN_FROM_SPAWN) process.kill(this.queue.child.pid!, 'SIGUSR2');
		const before = await this.snapshot();
		const watch = await PostgresWatch.start(this.postmaster, this.watchClient, this.database);
		const last = await complete;
		await sleep(SETTLE_MS);
		const postgres = await watch.stop();
		const after = await this.snapshot();
		if (profiling) {
			const count = readdirSync(this.profiles!).length;
			process.kill(this.queue.child.pid!, 'SIGUSR2');
			for (let i = 0; i < 600 && readdirSync(this.profiles!).length === count; i++) await sleep(100);
		}
		const arrivals = await this.receiver.collect();
		// What the queue process sent before the window opened (it starts on its own, before it says so) is not in it.
		const usage = new Usage();
		usage.add(before, after, postgres, Math.max(1, arrivals.filter(([, , at]) => at >= before.at).length));
		const cpu = usage.figures();
		const first = Math.min(...arrivals.map(([, , at]) => at));
		this.backlog = {
			deliveries: posts.length,
			deliveriesPerSecond: Math.round((posts.length - 1) / ((last - first) / 1000)),
			secondsFromSpawn: round2((last - spawnedAt) / 1000),
			firstArrivalAfterQueueStartedMs: Math.round(first - queueStartedAt),
			arrivedAfterMs: arrivalSpreadOf(arrivals.map(([, , at]) => at)),
			queueMsPerDelivery: cpu.queueMsPerNote,
			postgresMsPerDelivery: cpu.postgresMsPerNote,
			ledger: ledgerOf(posts, arrivals, this.posted).ledger,
		};
	}

	/**
	 * Bare Bull 4 + got's drain of the same backlog inside this side's queue process: queued in this side's Redis by a
	 * process of its own, then drained by bench/misskey-bare-worker.js loaded into a fresh queue process, once the process
	 * has said its queue started. What it reaches there, beside what it reaches in a process of its own, is what the
	 * process costs any worker, whoever's code runs in it.
	 */
	async bareDrainInQueueProcess(count: number, content: unknown): Promise<BareFigures> {
		await this.queue?.stop();
		this.queue = null;
		const redisUrl = `redis://127.0.0.1:${this.redisPort}/0`;
		await withBareChild((child) => queueBare(child, { redisUrl, to: this.receiver.urls[0], count, content, noteIdPrefix: BARE_IN_PROCESS_NOTES }));
		const { complete } = await this.receiver.expect(count);
		const startChannel = 'bench-bare-start';
		this.queue = await this.start('queue', 'queue-bare', {
			imports: [new URL('./misskey-bare-worker.js', import.meta.url).href],
			env: { MISSKEY_BENCH_BARE_REDIS: redisUrl, MISSKEY_BENCH_BARE_SERVER_URL: BARE_SERVER_URL, MISSKEY_BENCH_BARE_START_CHANNEL: startChannel },
		});
		const redis = new Redis(redisUrl);
		const pid = this.queue.child.pid;
		const cpuBefore = processCpuMs(pid);
		try {
			await redis.publish(startChannel, 'start');
			await complete;
		} finally {
			redis.disconnect();
		}
		return bareFiguresOf(count, BARE_IN_PROCESS_NOTES, await this.receiver.collect(), processCpuMs(pid) - cpuBefore);
	}

	figures(): SideFigures {
		const on = sumLedgers(this.deliveryOn.ledgers);
		const latency = sumLedgers(this.latencies.ledgers);
		const backlog = this.backlog!;
		const valid = this.failed === 0 && on.balanced && latency.balanced && backlog.ledger.balanced && this.deliveryOff.deliveredWhileStopped === 0;
		return {
			side: this.spec.name,
			label: this.spec.label,
			users: USERS,
			failedPosts: this.failed,
			failures: this.failures,
			writeDeliveryOn: { ...this.deliveryOn.write(), ledger: on, lastDeliveryAfterLastPostSeconds: round2(this.deliveryOn.lastDeliveryAfterLastPostMs / 1000) },
			writeDeliveryOff: { ...this.deliveryOff.write(), deliveredWhileStopped: this.deliveryOff.deliveredWhileStopped },
			latency: { notes: this.latencyFromCreatedAt.length, ratePerSecond: LATENCY_RATE, fromCreatedAt: spread(this.latencyFromCreatedAt), fromPost: spread(this.latencyFromPost), ledger: latency },
			backlog,
			valid,
		};
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// Bare Bull 4 + got, the same backlog

export interface BareFigures {
	deliveries: number;
	/** From the first arrival to the last, as the sides' backlog. */
	deliveriesPerSecond: number;
	/** Ms from the first arrival until half, 90 %, 99 % and all had arrived, as the sides' backlog. */
	arrivedAfterMs: ReturnType<typeof arrivalSpreadOf>;
	/** CPU of the process the worker ran in, from its start to the last arrival, ms a delivery. */
	processMsPerDelivery: number;
	ledger: Ledger;
}

/** The note ids of the bare backlogs: one drained in a process of its own, one inside a side's queue process. */
const BARE_NOTES = 'bare';
const BARE_IN_PROCESS_NOTES = 'barein';
const BARE_SERVER_URL = 'http://127.0.0.1/';

/** Runs `use` with a bare Bull + got process (bench/misskey-bare-drain.ts), and ends that process afterwards. */
async function withBareChild<T>(use: (child: ChildProcess) => Promise<T>): Promise<T> {
	const child = fork(fileURLToPath(new URL('./misskey-bare-drain.ts', import.meta.url)), [], { execPath: required('MISSKEY_NODE'), execArgv: ['--import', 'tsx'] });
	try {
		return await use(child);
	} finally {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.send({ kind: 'stop' } satisfies BareDrainCommand);
		await exited;
	}
}

/** Queues `count` bare jobs, with no worker, to the receiver. */
async function queueBare(child: ChildProcess, backlog: { redisUrl: string; to: string; count: number; content: unknown; noteIdPrefix: string }): Promise<void> {
	const queued = nextReport<BareDrainReport, 'queued'>(child, 'queued');
	child.send({ kind: 'queue', ...backlog, serverUrl: BARE_SERVER_URL } satisfies BareDrainCommand);
	await queued;
}

/** A bare drain's figures from the receiver's arrivals, which hold no other deliveries. */
function bareFiguresOf(count: number, noteIdPrefix: string, arrivals: Arrival[], processMs: number): BareFigures {
	const posts: Post[] = Array.from({ length: count }, (_, i) => ({ hookId: 'bare', noteId: `${noteIdPrefix}${String(i).padStart(6, '0')}`, sentAt: 0, doneAt: 0, createdAt: 0 }));
	const arrivedAt = arrivals.map(([, , at]) => at);
	return {
		deliveries: count,
		deliveriesPerSecond: Math.round((count - 1) / ((Math.max(...arrivedAt) - Math.min(...arrivedAt)) / 1000)),
		arrivedAfterMs: arrivalSpreadOf(arrivedAt),
		processMsPerDelivery: round2(processMs / count),
		ledger: ledgerOf(posts, arrivals).ledger,
	};
}

/** Bare Bull + got in a process of its own, on a Redis of its own: the floor the module's drain is held to. */
async function bareDrain(receiver: ArrivalReceiver, content: unknown, redisPort: number): Promise<BareFigures> {
	const redis = await startRedis(redisPort);
	try {
		return await withBareChild(async (child) => {
			const count = WRITE_NOTES;
			await queueBare(child, { redisUrl: `redis://127.0.0.1:${redisPort}/0`, to: receiver.urls[0], count, content, noteIdPrefix: BARE_NOTES });
			const { complete } = await receiver.expect(count);
			const started = nextReport<BareDrainReport, 'started'>(child, 'started');
			const cpuBefore = processCpuMs(child.pid);
			child.send({ kind: 'start' } satisfies BareDrainCommand);
			await started;
			await complete;
			const processMs = processCpuMs(child.pid) - cpuBefore;
			return bareFiguresOf(count, BARE_NOTES, await receiver.collect(), processMs);
		});
	} finally {
		redis.kill('SIGTERM');
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// The run

/** PostgreSQL's postmaster: the parent of the backend serving this connection. */
async function postmasterOf(client: pg.Client): Promise<number> {
	const { rows: [{ pid }] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
	return postmasterOfBackend(pid);
}

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? null : round2(a / b));

export interface MisskeyBenchFigures {
	measuredAt: string;
	misskeySource: string;
	/** A digest of the package tarball's contents the integrated tree was built with. */
	packageContents: string;
	repo: { commit: string; dirty: boolean };
	lifted: string;
	machine: { cpus: number; loadBefore: number[]; node: { driver: string; misskey: string } };
	sizes: { posters: number; writeNotes: number; writeRounds: number; latencyNotes: number; latencyRounds: number; latencyRatePerSecond: number; users: number; warmUpNotes: number };
	/** PostgreSQL's CPU with every side up and idle, ms a second: the cluster's, and its background processes' (in every window). */
	idlePostgres: { clusterMsPerSecond: number; backgroundMsPerSecond: number };
	sides: SideFigures[];
	bare: BareFigures | null;
	/** The same bare worker inside the module side's queue process (a fresh one, as for the module's own drain). */
	bareInModuleQueueProcess: BareFigures | null;
	/** module / stock with its limits lifted, and module / stock as shipped. */
	ratios: { overLifted: Record<string, number | null>; overShipped: Record<string, number | null> };
	targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
	valid: boolean;
}

function git(...args: string[]): string {
	return execFileSync('git', args, { cwd: fileURLToPath(new URL('..', import.meta.url)) }).toString().trim();
}

/** The same figure of two sides, as module / other. */
function ratiosOf(module: SideFigures | undefined, other: SideFigures | undefined): Record<string, number | null> {
	return {
		notesPerSecondDeliveryOn: ratio(module?.writeDeliveryOn.notesPerSecond, other?.writeDeliveryOn.notesPerSecond),
		p50DeliveryOn: ratio(module?.writeDeliveryOn.p50Ms, other?.writeDeliveryOn.p50Ms),
		p99DeliveryOn: ratio(module?.writeDeliveryOn.p99Ms, other?.writeDeliveryOn.p99Ms),
		postgresCpuPerNoteDeliveryOn: ratio(module?.writeDeliveryOn.cpu.postgresMsPerNote, other?.writeDeliveryOn.cpu.postgresMsPerNote),
		notesPerSecondDeliveryOff: ratio(module?.writeDeliveryOff.notesPerSecond, other?.writeDeliveryOff.notesPerSecond),
		p50DeliveryOff: ratio(module?.writeDeliveryOff.p50Ms, other?.writeDeliveryOff.p50Ms),
		p99DeliveryOff: ratio(module?.writeDeliveryOff.p99Ms, other?.writeDeliveryOff.p99Ms),
		postgresCpuPerNoteDeliveryOff: ratio(module?.writeDeliveryOff.cpu.postgresMsPerNote, other?.writeDeliveryOff.cpu.postgresMsPerNote),
		latencyP50: ratio(module?.latency.fromCreatedAt.p50Ms, other?.latency.fromCreatedAt.p50Ms),
		latencyP99: ratio(module?.latency.fromCreatedAt.p99Ms, other?.latency.fromCreatedAt.p99Ms),
		drain: ratio(module?.backlog.deliveriesPerSecond, other?.backlog.deliveriesPerSecond),
	};
}

function targetsOf(module: SideFigures | undefined, lifted: SideFigures | undefined, bare: BareFigures | null): MisskeyBenchFigures['targets'] {
	const atLeast = (value: number | null, floor: number) => (value === null ? null : value >= floor);
	const atMost = (value: number | null, ceiling: number) => (value === null ? null : value <= ceiling);
	const notes = ratio(module?.writeDeliveryOn.notesPerSecond, lifted?.writeDeliveryOn.notesPerSecond);
	const cpu = ratio(module?.writeDeliveryOn.cpu.postgresMsPerNote, lifted?.writeDeliveryOn.cpu.postgresMsPerNote);
	const latency = ratio(module?.latency.fromCreatedAt.p50Ms, lifted?.latency.fromCreatedAt.p50Ms);
	const drain = ratio(module?.backlog.deliveriesPerSecond, bare?.deliveriesPerSecond);
	return {
		notesPerSecond: { target: `module / stock ≥ ${TARGETS.notesPerSecond} (8 posters, delivery on)`, value: notes, met: atLeast(notes, TARGETS.notesPerSecond) },
		postgresCpuPerNote: { target: `module / stock ≤ ${TARGETS.postgresCpuPerNote} (delivery on)`, value: cpu, met: atMost(cpu, TARGETS.postgresCpuPerNote) },
		latencyP50: { target: `module / stock ≤ ${TARGETS.latencyP50} (event → receiver p50)`, value: latency, met: atMost(latency, TARGETS.latencyP50) },
		drain: { target: `module / bare Bull + got ≥ ${TARGETS.drainOverBare} (backlog to one receiver)`, value: drain, met: atLeast(drain, TARGETS.drainOverBare) },
	};
}

function printTable(figures: MisskeyBenchFigures): void {
	const bySide = new Map(figures.sides.map((side) => [side.side, side]));
	const columns: SideName[] = ['stock', 'lifted', 'module'];
	const cell = (value: number | null | undefined, digits: number) => (value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits)).padStart(14);
	const row = (name: string, pick: (side: SideFigures) => number, digits = 0) => {
		const values = columns.map((column) => { const side = bySide.get(column); return side ? pick(side) : undefined; });
		const [shipped, lifted, module] = values;
		console.log(`  ${name.padEnd(44)}${values.map((value) => cell(value, digits)).join('')}${cell(ratio(module, lifted), 2)}${cell(ratio(module, shipped), 2)}`);
	};
	const { sizes } = figures;
	console.log(`\nMisskey side by side (${figures.misskeySource}; stock lifted: ${figures.lifted}); ${sizes.users} users, one note webhook each, one receiver`);
	console.log(`  ${''.padEnd(44)}${['stock', 'stock lifted', 'module', 'module/lifted', 'module/stock'].map((name) => name.padStart(14)).join('')}`);
	console.log(`notes/create, ${sizes.posters} posters, ${sizes.writeNotes} notes, delivery on (web + queue processes):`);
	row('notes/s', (side) => side.writeDeliveryOn.notesPerSecond);
	row('p50 ms', (side) => side.writeDeliveryOn.p50Ms, 1);
	row('p99 ms', (side) => side.writeDeliveryOn.p99Ms, 1);
	row('PostgreSQL CPU ms/note (to the last delivery)', (side) => side.writeDeliveryOn.cpu.postgresMsPerNote, 2);
	row('  the whole cluster\'s, whoever it served', (side) => side.writeDeliveryOn.cpu.postgresClusterMsPerNote, 2);
	row('web process CPU ms/note', (side) => side.writeDeliveryOn.cpu.webMsPerNote, 2);
	row('queue process CPU ms/note', (side) => side.writeDeliveryOn.cpu.queueMsPerNote, 2);
	row('Redis CPU ms/note', (side) => side.writeDeliveryOn.cpu.redisMsPerNote, 2);
	row('last delivery, s after the last post', (side) => side.writeDeliveryOn.lastDeliveryAfterLastPostSeconds, 1);
	console.log(`notes/create, ${sizes.posters} posters, ${sizes.writeNotes} notes, delivery off (web process alone):`);
	row('notes/s', (side) => side.writeDeliveryOff.notesPerSecond);
	row('p50 ms', (side) => side.writeDeliveryOff.p50Ms, 1);
	row('p99 ms', (side) => side.writeDeliveryOff.p99Ms, 1);
	row('PostgreSQL CPU ms/note', (side) => side.writeDeliveryOff.cpu.postgresMsPerNote, 2);
	row('  the whole cluster\'s, whoever it served', (side) => side.writeDeliveryOff.cpu.postgresClusterMsPerNote, 2);
	row('web process CPU ms/note', (side) => side.writeDeliveryOff.cpu.webMsPerNote, 2);
	console.log(`event → receiver, ${sizes.latencyNotes} notes at ${sizes.latencyRatePerSecond}/s:`);
	row('p50 ms from the note\'s createdAt', (side) => side.latency.fromCreatedAt.p50Ms, 1);
	row('p99 ms from the note\'s createdAt', (side) => side.latency.fromCreatedAt.p99Ms, 1);
	row('p50 ms from the post\'s start', (side) => side.latency.fromPost.p50Ms, 1);
	row('p99 ms from the post\'s start', (side) => side.latency.fromPost.p99Ms, 1);
	console.log(`backlog of ${sizes.writeNotes} deliveries to one receiver, queue process started after:`);
	row('deliveries/s (first to last arrival)', (side) => side.backlog.deliveriesPerSecond);
	row('s from the queue process\'s spawn to the last', (side) => side.backlog.secondsFromSpawn, 1);
	row('ms from "Queue started" to the first arrival', (side) => side.backlog.firstArrivalAfterQueueStartedMs);
	row('ms from the first arrival to half of them', (side) => side.backlog.arrivedAfterMs.half);
	row('  to 90 %', (side) => side.backlog.arrivedAfterMs.p90);
	row('  to 99 %', (side) => side.backlog.arrivedAfterMs.p99);
	row('  to the last', (side) => side.backlog.arrivedAfterMs.all);
	row('queue process CPU ms/delivery', (side) => side.backlog.queueMsPerDelivery, 2);
	row('PostgreSQL CPU ms/delivery', (side) => side.backlog.postgresMsPerDelivery, 2);
	const bareLine = (where: string, bare: BareFigures) => {
		const { half, p90, p99, all } = bare.arrivedAfterMs;
		console.log(`  bare Bull 4 + got, process(64), the same backlog and receiver, ${where}: ${bare.deliveriesPerSecond} deliveries/s, ${bare.processMsPerDelivery} ms of that process's CPU a delivery; ms from the first arrival to half ${half}, 90 % ${p90}, 99 % ${p99}, the last ${all}`);
	};
	if (figures.bare) bareLine('in a process of its own', figures.bare);
	if (figures.bareInModuleQueueProcess) {
		bareLine('inside the module side\'s queue process', figures.bareInModuleQueueProcess);
		const module = figures.sides.find((side) => side.side === 'module');
		console.log(`  the module's drain / bare's in the same queue process: ${ratio(module?.backlog.deliveriesPerSecond, figures.bareInModuleQueueProcess.deliveriesPerSecond) ?? '—'}`);
	}
	console.log(`PostgreSQL with every side up and idle, ms of CPU a second: ${figures.idlePostgres.clusterMsPerSecond} the cluster, ${figures.idlePostgres.backgroundMsPerSecond} its background processes (in every window above)`);
	console.log('the side\'s database per note, delivery on (PostgreSQL\'s statistics: about, not exact): transactions; rows inserted/updated/deleted per table');
	for (const side of figures.sides) {
		const { cpu } = side.writeDeliveryOn;
		const rows = Object.entries(cpu.rowsPerNote).map(([table, w]) => `${table} ${w.inserted}/${w.updated}/${w.deleted}`).join(', ');
		console.log(`  ${side.label}: ${cpu.transactionsPerNote}; ${rows}`);
	}
	console.log('ledgers (posted = delivered + missing; duplicates and unknown arrivals apart):');
	for (const side of figures.sides) {
		const phases = [['delivery on', side.writeDeliveryOn.ledger], ['latency', side.latency.ledger], ['backlog', side.backlog.ledger]] as const;
		const text = phases.map(([name, ledger]) => `${name} ${ledger.delivered}/${ledger.posted}${ledger.missing ? `, ${ledger.missing} missing` : ''}${ledger.duplicates ? `, ${ledger.duplicates} twice` : ''}${ledger.earlierAgain ? `, ${ledger.earlierAgain} of an earlier phase again` : ''}${ledger.strangers ? `, ${ledger.strangers} unknown (${ledger.strangerSample.join(', ')})` : ''}`).join('; ');
		console.log(`  ${side.label}: ${text}${side.failedPosts ? `; ${side.failedPosts} posts failed (${side.failures[0]})` : ''}${side.writeDeliveryOff.deliveredWhileStopped ? `; ${side.writeDeliveryOff.deliveredWhileStopped} delivered with no queue process` : ''}${side.valid ? '' : ' — VOID'}`);
	}
	if (figures.bare) console.log(`  bare Bull 4 + got: ${figures.bare.ledger.delivered}/${figures.bare.ledger.posted}${figures.bare.ledger.balanced ? '' : ' — VOID'}`);
	if (figures.bareInModuleQueueProcess) console.log(`  bare Bull 4 + got inside the module side's queue process: ${figures.bareInModuleQueueProcess.ledger.delivered}/${figures.bareInModuleQueueProcess.ledger.posted}${figures.bareInModuleQueueProcess.ledger.balanced ? '' : ' — VOID'}`);
	for (const side of figures.sides) {
		for (const [phase, cpu] of [['delivery on', side.writeDeliveryOn.cpu], ['delivery off', side.writeDeliveryOff.cpu]] as const) {
			if (cpu.otherDatabasesMs + cpu.unseenMs < 100) continue;
			console.log(`  PostgreSQL was shared during ${side.label}, ${phase}: other databases' sessions ${cpu.otherDatabasesMs} ms, unseen ${cpu.unseenMs} ms (left out; the cluster's whole: ${cpu.postgresClusterMsPerNote} ms/note)`);
		}
	}
	console.log('targets (module against stock with its limits lifted; reported, not asserted):');
	for (const [name, target] of Object.entries(figures.targets)) console.log(`  ${name.padEnd(20)}${String(target.value ?? '—').padStart(6)}  ${target.met === null ? 'not measured' : target.met ? 'met' : 'MISSED'}  (${target.target})`);
	console.log(figures.valid ? 'every delivery arrived, once or more, and nothing unknown did' : 'VOID: a ledger did not balance or a post failed; the figures mean nothing');
}

async function main(): Promise<void> {
	const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
	await admin.connect();
	const watchClient = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
	await watchClient.connect();
	const receiver = await ArrivalReceiver.start(1, DELIVERY_TIMEOUT_MS);
	const loadBefore = os.loadavg().map(round2);
	let sides: SideFigures[] = [];
	let bare: BareFigures | null = null;
	let bareInModuleQueueProcess: BareFigures | null = null;
	let idlePostgres = { clusterMsPerSecond: Number.NaN, backgroundMsPerSecond: Number.NaN };
	const running: Side[] = [];
	const began = now();
	const say = (what: string) => console.log(`-- ${what} (${Math.round((now() - began) / 1000)} s)`);
	try {
		const postmaster = await postmasterOf(admin);
		for (const [index, spec] of SIDES.entries()) {
			if (!chosen.includes(spec.name)) continue;
			const side = new Side(spec, index, admin, watchClient, postmaster, receiver);
			running.push(side);
			await side.up();
			say(`${spec.label} up: ${USERS} users with a webhook each, Misskey on ${side.port}, Redis on ${side.redisPort}, database ${side.database}`);
		}
		// What PostgreSQL does with every side idle (the sides' periodic work, anyone else's) is in every window below too.
		const idle = await PostgresWatch.start(postmaster, watchClient, null);
		await sleep(IDLE_WINDOW_MS);
		const idleUse = await idle.stop();
		idlePostgres = { clusterMsPerSecond: round2(idleUse.clusterMs / (IDLE_WINDOW_MS / 1000)), backgroundMsPerSecond: round2(idleUse.backgroundMs / (IDLE_WINDOW_MS / 1000)) };
		// Round by round, each side in turn and the first side changing every round: the machine's load drifts over
		// minutes, and each side gets its share of every stretch of it.
		const inTurn = async (rounds: number, total: number, round: (side: Side, count: number) => Promise<void>) => {
			for (let r = 0; r < rounds; r++) {
				const count = Math.floor(total / rounds) + (r < total % rounds ? 1 : 0);
				for (let i = 0; i < running.length; i++) await round(running[(r + i) % running.length], count);
			}
		};
		for (const side of running) await side.profile('delivery', true);
		await inTurn(WRITE_ROUNDS, WRITE_NOTES, (side, count) => side.writeRound(count, true));
		for (const side of running) await side.profile('delivery', false);
		say(`${WRITE_NOTES} notes a side, delivery on, in ${WRITE_ROUNDS} rounds`);
		await inTurn(LATENCY_ROUNDS, LATENCY_NOTES, (side, count) => side.latencyRound(count));
		say(`${LATENCY_NOTES} notes a side at ${LATENCY_RATE}/s, in ${LATENCY_ROUNDS} rounds`);
		for (const side of running) await side.stopQueue();
		for (const side of running) await side.profile('web', true);
		await inTurn(WRITE_ROUNDS, WRITE_NOTES, (side, count) => side.writeRound(count, false));
		for (const side of running) await side.profile('web', false);
		say(`${WRITE_NOTES} notes a side, delivery off (queue processes stopped), in ${WRITE_ROUNDS} rounds`);
		for (const side of running) {
			await side.drain();
			say(`${side.spec.label}: backlog drained`);
		}
		sides = running.map((side) => side.figures());
		const sample = running.find((side) => side.sample !== null)?.sample;
		if (sample) bare = await bareDrain(receiver, sample, basePort + 19);
		say('bare Bull 4 + got: backlog drained');
		const moduleSide = running.find((side) => side.spec.name === 'module');
		if (sample && moduleSide) {
			bareInModuleQueueProcess = await moduleSide.bareDrainInQueueProcess(WRITE_NOTES, sample);
			say('bare Bull 4 + got inside the module side\'s queue process: backlog drained');
		}
	} finally {
		for (const side of running) await side.down();
		await receiver.stop();
		await watchClient.end();
		await admin.end();
	}
	const bySide = (name: SideName) => sides.find((side) => side.side === name);
	const figures: MisskeyBenchFigures = {
		measuredAt: new Date().toISOString(),
		misskeySource: process.env.MISSKEY_BENCH_SOURCE ?? '',
		packageContents: process.env.MISSKEY_BENCH_PACKAGE ?? '',
		repo: { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'migrations', 'package.json') !== '' },
		lifted: process.env.MISSKEY_BENCH_LIFT ?? '',
		machine: { cpus: os.cpus().length, loadBefore, node: { driver: process.version, misskey: execFileSync(required('MISSKEY_NODE'), ['--version']).toString().trim() } },
		sizes: { posters: POSTERS, writeNotes: WRITE_NOTES, writeRounds: WRITE_ROUNDS, latencyNotes: LATENCY_NOTES, latencyRounds: LATENCY_ROUNDS, latencyRatePerSecond: LATENCY_RATE, users: USERS, warmUpNotes: WARMUP_NOTES },
		idlePostgres,
		sides,
		bare,
		bareInModuleQueueProcess,
		ratios: { overLifted: ratiosOf(bySide('module'), bySide('lifted')), overShipped: ratiosOf(bySide('module'), bySide('stock')) },
		targets: targetsOf(bySide('module'), bySide('lifted'), bare),
		valid: sides.every((side) => side.valid) && (bare?.ledger.balanced ?? true) && (bareInModuleQueueProcess?.ledger.balanced ?? true),
	};
	printTable(figures);
	await mkdir(resultsDir, { recursive: true });
	const json = JSON.stringify(figures, null, '\t') + '\n';
	await writeFile(path.join(resultsDir, 'misskey.json'), json);
	await writeFile(path.join(resultsDir, `misskey-${figures.measuredAt.replaceAll(':', '-')}.json`), json);
	console.log(`results: bench/results/misskey.json (and misskey-${figures.measuredAt.replaceAll(':', '-')}.json)`);
	for (const side of profiledSides) console.log(`profiles: bench/results/misskey-profiles/${side}/ (web-1: delivery on, web-2: delivery off, queue-1: delivery on, queue-restarted-1: backlog); npx tsx bench/profile-summary.ts <file> <notes>`);
}

await main();
process.exit(0);

/** Ms from the first arrival until half, 90 %, 99 % and all of them had arrived. */
function arrivalSpreadOf(arrivedAt: readonly number[]): { half: number; p90: number; p99: number; all: number } {
	const sorted = [...arrivedAt].sort((a, b) => a - b);
	const after = (share: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] - sorted[0]);
	return { half: after(0.5), p90: after(0.9), p99: after(0.99), all: after(1) };
}
