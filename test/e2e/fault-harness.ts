import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { testAllowedPrivateNetworks } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { freePort, REFERENCE_HOST_COMMAND, REFERENCE_WORKER_COMMAND, startHostProcess, WORKERS_RUNNING_LINE, type HostProcess } from './host-process.js';

const run = promisify(execFile);

// initdb and postgres refuse to run as root: as root, the cluster belongs to the `postgres` account.
const asRoot = process.getuid?.() === 0;

function postgresBin(program: string): string {
	const versions = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
	return `/usr/lib/postgresql/${versions[0]}/bin/${program}`;
}

async function asPostgres(program: string, args: string[]): Promise<void> {
	const [command, ...rest] = asRoot ? ['runuser', '-u', 'postgres', '--', postgresBin(program), ...args] : [postgresBin(program), ...args];
	await run(command, rest, { timeout: 60_000 });
}

/** A PostgreSQL cluster of the test's own, on a spare port, in a temporary directory: one the test may stop. */
export class OwnPostgres {
	private constructor(private readonly dir: string, readonly port: number) {}

	static async start(): Promise<OwnPostgres> {
		const dir = await mkdtemp(path.join(tmpdir(), 'mw-fault-pg-'));
		if (asRoot) await run('chown', ['postgres:', dir]);
		const cluster = new OwnPostgres(dir, await freePort());
		await asPostgres('initdb', ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync']);
		await cluster.resume();
		return cluster;
	}

	/** A database URL on this cluster (the host creates the database when missing). */
	url(database: string): string {
		return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
	}

	/** Stops the server (`fast`: open connections are cut, as a crash or a failover cuts them). */
	async halt(): Promise<void> {
		await asPostgres('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
	}

	async resume(): Promise<void> {
		const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
		await asPostgres('pg_ctl', ['-D', path.join(this.dir, 'data'), '-o', options, '-l', path.join(this.dir, 'log'), '-w', 'start']);
	}

	async destroy(): Promise<void> {
		await this.halt().catch(() => undefined);
		await rm(this.dir, { recursive: true, force: true });
	}
}

/** A redis-server of the test's own on a spare port, without persistence: a restart comes back empty. */
export class OwnRedis {
	private child: ChildProcess | null = null;

	private constructor(readonly port: number) {}

	static async start(): Promise<OwnRedis> {
		const redis = new OwnRedis(await freePort());
		await redis.resume();
		return redis;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}/0`;
	}

	async resume(): Promise<void> {
		const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
		this.child = child;
		await new Promise<void>((resolve, reject) => {
			let output = '';
			const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
			child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
				output += chunk;
				if (output.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
		});
	}

	/** Kills the server outright: everything it held is gone. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null) return;
		const gone = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await gone;
		this.child = null;
	}
}

/** Environment of the reference host processes on these services, with recovery timings short enough for a test. */
export function faultHostEnv(database: string, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		HOST: '127.0.0.1',
		DATABASE_URL: database,
		REDIS_URL: redisUrl,
		WEBHOOK_ALLOWED_PRIVATE_NETWORKS: testAllowedPrivateNetworks.join(','),
		WEBHOOK_RETRY_DELAYS_MS: '500,1000,2000,4000,8000',
		WEBHOOK_RECONCILE_INTERVAL_MS: '2000',
		WEBHOOK_JOB_LOCK_DURATION_MS: '4000',
		WEBHOOK_STALLED_CHECK_INTERVAL_MS: '2000',
		...extra,
	};
}

export async function startWebProcess(env: Record<string, string>): Promise<HostProcess> {
	return startHostProcess({ command: REFERENCE_HOST_COMMAND, env: { ...env, PORT: String(await freePort()) }, startTimeoutMs: 60_000 });
}

export async function startWorkerProcess(env: Record<string, string>): Promise<HostProcess> {
	return startHostProcess({ command: REFERENCE_WORKER_COMMAND, env, readyPattern: WORKERS_RUNNING_LINE, startTimeoutMs: 60_000 });
}

/** Kills a host process group with SIGKILL: no shutdown code runs. */
export async function killHard(process_: HostProcess): Promise<void> {
	try {
		process.kill(-process_.pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
	await process_.stop();
}

/** Notes per run: FAULT_NOTES scales the same test (2000 × 3 webhooks for the full fault probe). */
export const faultNotes = Number(process.env.FAULT_NOTES ?? 100);

/**
 * How long a run of `notes` may take to be delivered in full: one worker process sends to the receiver's host 8 at a
 * time, 150 ms each (about 50 a second), so anything well below 20 deliveries a second is a fault, not a slow machine.
 */
export function settleTimeoutMs(notes: number): number {
	return Math.max(120_000, notes * 3 * 50);
}

/** What the receiver saw against what the host committed. */
export interface DeliveryCount {
	expected: number;
	delivered: number;
	lost: number;
	/** Requests beyond the first for the same `webhook-id` (at-least-once: the same delivery again). */
	duplicates: number;
	/** (webhook, note) pairs that came under more than one `webhook-id`: the same event raised twice. */
	reraised: number;
}

/** One user with three webhooks on `note`, on a receiver, and a note load generator that outlives host restarts. */
export class NoteLoad {
	readonly receiver = new TestReceiver();
	account!: Account;
	hookIds: string[] = [];
	acked = 0;

	constructor(private origin: () => string, private readonly databaseUrl: string) {}

	/** `replyDelayMs`: how long the receiver takes to answer, so deliveries are in flight when the fault strikes. */
	async setUp(username: string, replyDelayMs = 150): Promise<void> {
		this.receiver.replyAlways({ status: 200, delayMs: replyDelayMs });
		await this.receiver.start();
		this.account = await signUp(this.origin(), username);
		for (const name of ['a', 'b', 'c']) {
			const hook = await expectOk(this.origin(), 'i/webhooks/create', { name, url: this.receiver.url(`/${name}`), secret: `secret-${name}`, on: ['note'] }, this.account.token);
			this.hookIds.push(hook.id);
		}
	}

	/**
	 * Creates `count` notes, `concurrency` at a time; a request that fails (the host is down, its database away) is
	 * sent again until it succeeds, so every note is acknowledged once (a retried request may have created one more).
	 */
	async run(count: number, concurrency = 8): Promise<void> {
		let next = 0;
		const worker = async () => {
			while (next < count) {
				const index = next++;
				for (;;) {
					const reply = await callHost(this.origin(), 'notes/create', { text: `note ${index}` }, this.account.token).catch(() => null);
					if (reply?.status === 200) break;
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
				this.acked++;
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
	}

	/** Resolves once `acked` reaches `count`. */
	async acknowledged(count: number): Promise<void> {
		while (this.acked < count) await new Promise((resolve) => setTimeout(resolve, 20));
	}

	/** The note ids the host committed for this user. */
	async committedNotes(): Promise<string[]> {
		const client = new pg.Client({ connectionString: this.databaseUrl });
		await client.connect();
		try {
			const result = await client.query<{ id: string }>(`SELECT "id" FROM "note" WHERE "userId" = $1`, [this.account.id]);
			return result.rows.map((row) => row.id);
		} finally {
			await client.end();
		}
	}

	count(notes: readonly string[]): DeliveryCount {
		const idsByPair = new Map<string, Set<string>>();
		const seenIds = new Set<string>();
		let duplicates = 0;
		for (const request of this.receiver.requests) {
			const webhookId = String(request.headers['webhook-id']);
			if (seenIds.has(webhookId)) duplicates++;
			seenIds.add(webhookId);
			const pair = `${String(request.headers['x-misskey-hook-id'])} ${String(request.json?.body?.note?.id)}`;
			const ids = idsByPair.get(pair) ?? new Set<string>();
			ids.add(webhookId);
			idsByPair.set(pair, ids);
		}
		const expectedPairs = notes.flatMap((note) => this.hookIds.map((hook) => `${hook} ${note}`));
		const delivered = expectedPairs.filter((pair) => idsByPair.has(pair)).length;
		const reraised = [...idsByPair.values()].filter((ids) => ids.size > 1).length;
		return { expected: expectedPairs.length, delivered, lost: expectedPairs.length - delivered, duplicates, reraised };
	}

	/** Waits until every committed note reached every webhook (or the time is up); resolves with the count and when it completed. */
	async settle(timeoutMs: number): Promise<DeliveryCount & { completedAt: number }> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const notes = await this.committedNotes();
			const count = this.count(notes);
			if (count.lost === 0 || Date.now() > deadline) {
				const completedAt = Date.now();
				// Late duplicates still count.
				await this.receiver.settle(1500);
				return { ...this.count(notes), completedAt };
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** Ms from `at` to the first delivery that arrived after it (how soon deliveries resumed), or null. */
	resumedAfter(at: number): number | null {
		const first = this.receiver.requests.find((request) => request.receivedAt >= at);
		return first ? first.receivedAt - at : null;
	}

	async close(): Promise<void> {
		await this.receiver.close();
	}
}

/** One line of figures for the run's log. */
export function describeCount(label: string, count: DeliveryCount, recoveredMs: number, resumedMs: number | null): string {
	const resumed = resumedMs === null ? 'none after it' : `${(resumedMs / 1000).toFixed(1)} s`;
	return `${label}: expected ${count.expected}, delivered ${count.delivered}, lost ${count.lost}, duplicates ${count.duplicates}, re-raised ${count.reraised}; after the fault ended, deliveries resumed in ${resumed}, all delivered in ${(recoveredMs / 1000).toFixed(1)} s`;
}
