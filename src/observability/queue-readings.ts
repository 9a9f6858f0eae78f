import type Bull from 'bull';
import type { DataSource } from 'typeorm';
import { lastTakenKey } from '../delivery/queue/last-taken.js';

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

/** Whether some worker, in any process, serves one delivery queue. */
export interface QueueAttendance {
	name: string;
	/** When a worker last took a job from the queue (ISO 8601); null when none has since the queue's keys were made. */
	lastTakenAt: string | null;
	/**
	 * How long deliveries have waited (waiting jobs, or retries whose time has come) while no worker took any job, ms:
	 * the shorter of "since the oldest became due" and "since a worker last took one"; null when none waits.
	 */
	unattendedMs: number | null;
	/** `unattendedMs` is longer than the module's `unattendedQueueAfterMs`: no worker runs, or none gets to this queue. */
	unattended: boolean;
}

/** One read of a delivery queue: its lag and its attendance. */
export interface QueueReading {
	lag: QueueLag;
	attendance: QueueAttendance;
}

/**
 * Bull keeps a delayed job under the score `dueMs * 0x1000 + (id & 0xfff)`, and pushes waiting jobs on the left of its
 * `wait` list, so the oldest waiting job is the rightmost one and the earliest delayed one the lowest.
 */
const DELAYED_SCORE_FACTOR = 0x1000;

/** Reads one queue's lag and attendance: five Redis commands at once, then one more (and one query) for the oldest job. */
export async function readQueue(queue: Bull.Queue, dataSource: DataSource, nowMs: number, unattendedAfterMs: number): Promise<QueueReading> {
	const client = queue.client;
	const [waiting, overdueDelayed, oldestId, earliestDelayed, lastTaken] = await Promise.all([
		client.llen(queue.toKey('wait')),
		client.zcount(queue.toKey('delayed'), 0, nowMs * DELAYED_SCORE_FACTOR),
		client.lindex(queue.toKey('wait'), -1),
		client.zrange(queue.toKey('delayed'), 0, 0, 'WITHSCORES'),
		client.get(lastTakenKey(queue)),
	]);
	const waitingSinceMs = oldestId === null ? null : await waitingSince(queue, dataSource, oldestId);
	const lag: QueueLag = { name: queue.name, waiting, overdueDelayed, oldestWaitingMs: waitingSinceMs === null ? null : Math.max(0, nowMs - waitingSinceMs) };
	// Without a worker in any process nothing moves a due retry to `wait`: it waits all the same.
	const delayedDueMs = earliestDelayed[1] === undefined ? null : Math.floor(Number(earliestDelayed[1]) / DELAYED_SCORE_FACTOR);
	const overdueSinceMs = delayedDueMs !== null && delayedDueMs <= nowMs ? delayedDueMs : null;
	const lastTakenMs = lastTaken === null || !Number.isFinite(Number(lastTaken)) ? null : Number(lastTaken);
	return { lag, attendance: attendanceOf(queue.name, [waitingSinceMs, overdueSinceMs], lastTakenMs, nowMs, unattendedAfterMs) };
}

/**
 * A queue is unattended for as long as something in it has been due and no worker took any job: a busy worker behind a
 * backlog takes jobs, so it is attended; an idle one is too until a job has waited as long as the threshold.
 */
function attendanceOf(name: string, dueSince: ReadonlyArray<number | null>, lastTakenMs: number | null, nowMs: number, unattendedAfterMs: number): QueueAttendance {
	const due = dueSince.filter((since): since is number => since !== null);
	const lastTakenAt = lastTakenMs === null ? null : new Date(lastTakenMs).toISOString();
	if (due.length === 0) return { name, lastTakenAt, unattendedMs: null, unattended: false };
	const waitedMs = nowMs - Math.min(...due);
	const sinceTakenMs = lastTakenMs === null ? Number.POSITIVE_INFINITY : nowMs - lastTakenMs;
	const unattendedMs = Math.max(0, Math.min(waitedMs, sinceTakenMs));
	return { name, lastTakenAt, unattendedMs, unattended: unattendedMs > unattendedAfterMs };
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
