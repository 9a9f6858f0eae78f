import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import { describeError } from '../core/database-error.js';
import { withTimeout } from './with-timeout.js';
import { readQueue, type QueueAttendance, type QueueLag } from './queue-readings.js';

export type { QueueAttendance, QueueLag } from './queue-readings.js';

/** One dependency's answer: reachable or not, how long it took, and why not. */
export interface DependencyHealth {
	ok: boolean;
	latencyMs: number;
	error?: string;
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

/** Whether some worker, in this process or another, takes the deliveries that wait. */
export interface WorkersHealth {
	/** false when a queue is unattended (deliveries waited longer than `unattendedQueueAfterMs` and no worker took one), or could not be read. */
	ok: boolean;
	queues: QueueAttendance[];
	/** The module's option of that name. */
	unattendedQueueAfterMs: number;
	error?: string;
}

/** What `webhooks.health()` answers: JSON-ready; `ok` only when all four are. */
export interface HealthReport {
	ok: boolean;
	postgres: DependencyHealth;
	redis: DependencyHealth;
	queue: QueueHealth;
	workers: WorkersHealth;
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
	/** A queue is unattended once deliveries waited this long with no worker taking one, ms (the module's option). */
	unattendedQueueAfterMs: number;
	now?: () => number;
}

/**
 * Checks PostgreSQL (`SELECT 1`), Redis (PING on each queue's client), the queues' lag and whether workers take their
 * jobs, each with a timeout, all at once. Never throws and never hangs: a check that fails or runs out of time is
 * reported as not ok, with why.
 */
export async function checkHealth(sources: HealthSources, options: HealthCheckOptions = {}): Promise<HealthReport> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
	const maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
	const now = sources.now ?? Date.now;
	const [postgres, redis, queues, stale] = await Promise.all([
		timed(() => sources.dataSource.query('SELECT 1'), timeoutMs, 'PostgreSQL'),
		timed(() => Promise.all(sources.queues.map((queue) => queue.client.ping())), timeoutMs, 'Redis'),
		settled(() => withTimeout(() => Promise.all(sources.queues.map((queue) => readQueue(queue, sources.dataSource, now(), sources.unattendedQueueAfterMs))), timeoutMs, 'queue counts')),
		settled(() => withTimeout(() => stalePending(sources.dataSource, sources.queuePrefix, new Date(now() - maxLagMs)), timeoutMs, 'outbox count')),
	]);
	const errors = [queues, stale].flatMap((result) => (result.ok ? [] : [result.error]));
	const lags = queues.ok ? queues.value.map((reading) => reading.lag) : [];
	const attendance = queues.ok ? queues.value.map((reading) => reading.attendance) : [];
	const behind = lags.some((lag) => (lag.oldestWaitingMs ?? 0) > maxLagMs) || (stale.ok && stale.value > 0);
	const queue: QueueHealth = {
		ok: errors.length === 0 && !behind,
		queues: lags,
		stalePendingDeliveries: stale.ok ? stale.value : null,
		maxLagMs,
		...(errors.length > 0 ? { error: errors.join('; ') } : {}),
	};
	const workers: WorkersHealth = {
		ok: queues.ok && !attendance.some((queueAttendance) => queueAttendance.unattended),
		queues: attendance,
		unattendedQueueAfterMs: sources.unattendedQueueAfterMs,
		...(queues.ok ? {} : { error: queues.error }),
	};
	return { ok: postgres.ok && redis.ok && queue.ok && workers.ok, postgres, redis, queue, workers };
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

async function stalePending(dataSource: DataSource, queuePrefix: string, dueBefore: Date): Promise<number> {
	// The partial index on pending rows ("queuePrefix", "webhookKind", "nextAttemptAt") answers this without a table scan.
	const [row] = await dataSource.query(
		`SELECT count(*)::int AS "stale" FROM (SELECT 1 FROM "webhook_delivery" WHERE "status" = 'pending' AND "queuePrefix" = $1 AND "webhookKind" IN ('user', 'system') AND "nextAttemptAt" < $2 LIMIT ${STALE_COUNT_CAP}) AS "due"`,
		[queuePrefix, dueBefore],
	) as Array<{ stale: number }>;
	return row?.stale ?? 0;
}
