import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import { describeError } from '../core/database-error.js';
import { withTimeout } from './with-timeout.js';

/** One dependency's answer: reachable or not, how long it took, and why not. */
export interface DependencyHealth {
	ok: boolean;
	latencyMs: number;
	error?: string;
}

/** How far behind one delivery queue is. */
export interface QueueLag {
	name: string;
	/** Jobs waiting for a worker. */
	waiting: number;
	/** Delayed jobs (retries) whose time has come but that no worker has moved to waiting yet. */
	overdueDelayed: number;
	/** How long the oldest waiting job has been due, ms; null when none waits. */
	oldestWaitingMs: number | null;
}

export interface QueueHealth {
	/** false when a number could not be read, or the queue is further behind than allowed. */
	ok: boolean;
	queues: QueueLag[];
	/** Pending outbox rows due longer ago than `maxLagMs` (their jobs lost or not taken); null when PostgreSQL did not answer. */
	stalePendingDeliveries: number | null;
	maxLagMs: number;
	error?: string;
}

/** What `webhooks.health()` answers: JSON-ready; `ok` only when all three are. */
export interface HealthReport {
	ok: boolean;
	postgres: DependencyHealth;
	redis: DependencyHealth;
	queue: QueueHealth;
}

export interface HealthCheckOptions {
	/** How long each check may take, ms. Default 1000. */
	timeoutMs?: number;
	/** The queue is "behind" when a job has been due (waiting, or a pending outbox row) longer than this, ms. Default 5 min. */
	maxLagMs?: number;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;
export const DEFAULT_MAX_LAG_MS = 5 * 60_000;

// Counting stops here: past it, "how many" no longer changes what an operator does.
const STALE_COUNT_CAP = 10_000;

/** What the checks read. */
export interface HealthSources {
	dataSource: DataSource;
	queues: ReadonlyArray<Bull.Queue>;
	queuePrefix: string;
	now?: () => number;
}

/**
 * Checks PostgreSQL (`SELECT 1`), Redis (PING on each queue's client) and the queues' lag, each with a timeout, all at
 * once. Never throws and never hangs: a check that fails or runs out of time is reported as not ok, with why.
 */
export async function checkHealth(sources: HealthSources, options: HealthCheckOptions = {}): Promise<HealthReport> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
	const maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
	const now = sources.now ?? Date.now;
	const [postgres, redis, queues, stale] = await Promise.all([
		timed(() => sources.dataSource.query('SELECT 1'), timeoutMs, 'PostgreSQL'),
		timed(() => Promise.all(sources.queues.map((queue) => queue.client.ping())), timeoutMs, 'Redis'),
		settled(() => withTimeout(() => Promise.all(sources.queues.map((queue) => queueLag(queue, sources.dataSource, now()))), timeoutMs, 'queue counts')),
		settled(() => withTimeout(() => stalePending(sources.dataSource, sources.queuePrefix, new Date(now() - maxLagMs)), timeoutMs, 'outbox count')),
	]);
	const errors = [queues, stale].flatMap((result) => (result.ok ? [] : [result.error]));
	const lags = queues.ok ? queues.value : [];
	const behind = lags.some((lag) => (lag.oldestWaitingMs ?? 0) > maxLagMs) || (stale.ok && stale.value > 0);
	const queue: QueueHealth = {
		ok: errors.length === 0 && !behind,
		queues: lags,
		stalePendingDeliveries: stale.ok ? stale.value : null,
		maxLagMs,
		...(errors.length > 0 ? { error: errors.join('; ') } : {}),
	};
	return { ok: postgres.ok && redis.ok && queue.ok, postgres, redis, queue };
}

async function timed(check: () => Promise<unknown>, timeoutMs: number, what: string): Promise<DependencyHealth> {
	const started = performance.now();
	const result = await settled(() => withTimeout(check, timeoutMs, what));
	const latencyMs = Math.round(performance.now() - started);
	return result.ok ? { ok: true, latencyMs } : { ok: false, latencyMs, error: result.error };
}

type Settled<Value> = { ok: true; value: Value } | { ok: false; error: string };

async function settled<Value>(work: () => Promise<Value>): Promise<Settled<Value>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error: describeError(error) };
	}
}

/**
 * Bull keeps a delayed job under the score `dueMs * 0x1000 + (id & 0xfff)`, and pushes waiting jobs on the left of its
 * `wait` list, so the oldest waiting job is the rightmost one.
 */
const DELAYED_SCORE_FACTOR = 0x1000;

async function queueLag(queue: Bull.Queue, dataSource: DataSource, nowMs: number): Promise<QueueLag> {
	const client = queue.client;
	const [waiting, overdueDelayed, oldestId] = await Promise.all([
		client.llen(queue.toKey('wait')),
		client.zcount(queue.toKey('delayed'), 0, nowMs * DELAYED_SCORE_FACTOR),
		client.lindex(queue.toKey('wait'), -1),
	]);
	const dueSince = oldestId === null ? null : await waitingSince(queue, dataSource, oldestId);
	return { name: queue.name, waiting, overdueDelayed, oldestWaitingMs: dueSince === null ? null : Math.max(0, nowMs - dueSince) };
}

/**
 * When a waiting job became due, epoch ms. A first attempt: its enqueue time plus its delay. A retry: Bull does not keep
 * that time, but the outbox row (the job's id is the row's) holds the attempt's due time; without a row, its last start.
 */
async function waitingSince(queue: Bull.Queue, dataSource: DataSource, jobId: string): Promise<number | null> {
	const [timestamp, delay, attemptsMade, processedOn] = await queue.client.hmget(queue.toKey(jobId), 'timestamp', 'delay', 'attemptsMade', 'processedOn');
	// Taken by a worker between the two reads: nothing waits behind that id any more.
	if (timestamp === null) return null;
	if (Number(attemptsMade ?? 0) === 0) return Number(timestamp) + Number(delay ?? 0);
	const [row] = await dataSource.query(`SELECT "nextAttemptAt" FROM "webhook_delivery" WHERE "id" = $1 AND "status" = 'pending'`, [jobId]) as Array<{ nextAttemptAt: Date | null }>;
	if (row?.nextAttemptAt) return row.nextAttemptAt.getTime();
	return processedOn === null ? Number(timestamp) : Number(processedOn);
}

async function stalePending(dataSource: DataSource, queuePrefix: string, dueBefore: Date): Promise<number> {
	// The partial index on pending rows ("queuePrefix", "webhookKind", "nextAttemptAt") answers this without a table scan.
	const [row] = await dataSource.query(
		`SELECT count(*)::int AS "stale" FROM (SELECT 1 FROM "webhook_delivery" WHERE "status" = 'pending' AND "queuePrefix" = $1 AND "webhookKind" IN ('user', 'system') AND "nextAttemptAt" < $2 LIMIT ${STALE_COUNT_CAP}) AS "due"`,
		[queuePrefix, dueBefore],
	) as Array<{ stale: number }>;
	return row?.stale ?? 0;
}
