import { randomUUID } from 'node:crypto';
import type Bull from 'bull';
import type { DeliveryStore, PendingDelivery } from '../../store/delivery-store.js';
import type { WebhookDeliveryEntity } from '../../store/webhook-delivery.entity.js';
import { addDeliveryJobs, type DeliveryJob } from '../queue/delivery-jobs.js';
import type { WebhookLogger } from '../../core/logger.js';
import { OutboxHousekeeping } from './periodic-task.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';
import { jobStates, LIVE_JOB_STATES, removeJobTraces, type JobState } from './job-states.js';

/** What one reconciliation found: pending deliveries checked, re-queued, and ended because their attempts were spent. */
export interface ReconcileReport {
	checked: number;
	requeued: number;
	exhausted: number;
}

/** A pending delivery whose job is not live, and what the queue holds under its id. */
interface Unqueued<Row extends { id: string } = WebhookDeliveryEntity> {
	row: Row;
	state: JobState;
}

/** What the reconciler works on: one kind's outbox rows and queue. */
export interface ReconcilerInput {
	kind: WebhookKindName;
	queue: Bull.Queue;
	/** The queue's Bull prefix: only the deliveries sent to this queue are this reconciler's. */
	queuePrefix: string;
	store: DeliveryStore;
	/** The job that carries on a pending delivery: its remaining attempts, after its remaining delay, job id = row id. */
	jobOf(row: WebhookDeliveryEntity): DeliveryJob<unknown>;
	intervalMs: number;
	settleMs: number;
	/**
	 * Writes every attempt this process has recorded but not yet written. A worker whose writes fell behind (PostgreSQL
	 * was away and its retries are backing off) would otherwise leave rows looking untouched after the settle time.
	 */
	flushRecords(): Promise<void>;
	batchSize: number;
	logger: WebhookLogger;
	label: string;
}

// Deletes the lock only if it is still ours (it may have expired and been taken meanwhile).
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Refills the queue from the outbox: at worker start and every `intervalMs`, reads the pending
 * deliveries of its kind and queue in batches by due time, and re-queues those whose job is not live in the queue (FLUSHALL, a restart without
 * persistence, an enqueue whose INSERT landed but whose add did not, a job hash Redis lost that Bull then half
 * re-created without its data, a job that ended while its attempt's record was lost) with their remaining attempts
 * and delay; whatever Bull still holds under the id is removed first. A job is
 * added under its delivery's id, so a delivery still queued is never queued twice; a delivery whose attempt is being
 * written right now (its job already gone, its row not yet updated) is left alone: candidates are re-read after
 * `settleMs` and kept only if unchanged, once this process's recorded attempts are written. One reconciler per queue runs at a time, across processes (a Redis lock).
 */
export class Reconciler extends OutboxHousekeeping<ReconcileReport> {
	constructor(private readonly input: ReconcilerInput) {
		super({
			kind: input.kind,
			intervalMs: input.intervalMs,
			logger: input.logger,
			failure: `${input.label} reconciler`,
			onResult: (report) => {
				if (report.requeued > 0 || report.exhausted > 0) {
					input.logger.warn({ kind: input.kind, ...report }, `${input.label} reconciler: re-queued deliveries missing from the queue, ended those with no attempts left`);
				}
			},
		});
	}

	protected async pass(): Promise<ReconcileReport> {
		const report: ReconcileReport = { checked: 0, requeued: 0, exhausted: 0 };
		const lock = await this.acquireLock();
		if (!lock) return report;
		try {
			let cursor: { nextAttemptAt: Date; id: string } | null = null;
			while (!this.schedule.stopped) {
				const rows = await this.input.store.pendingAfter(this.input.kind, this.input.queuePrefix, cursor, this.input.batchSize);
				if (rows.length === 0) break;
				const last = rows[rows.length - 1];
				cursor = { nextAttemptAt: last.nextAttemptAt ?? last.createdAt, id: last.id };
				report.checked += rows.length;
				await this.refill(await this.withoutJob(rows), report);
				await this.extendLock(lock);
				if (rows.length < this.input.batchSize) break;
			}
			return report;
		} finally {
			await this.releaseLock(lock);
		}
	}

	/** Re-queues candidates that are still pending, unchanged and not queued after the settle time. */
	private async refill(candidates: ReadonlyArray<Unqueued<PendingDelivery>>, report: ReconcileReport): Promise<void> {
		if (candidates.length === 0) return;
		await new Promise((resolve) => setTimeout(resolve, this.input.settleMs));
		await this.input.flushRecords();
		const attemptsSeen = new Map(candidates.map(({ row }) => [row.id, row.attempts]));
		const fresh = await this.input.store.findByIds(candidates.map(({ row }) => row.id));
		const unchanged = fresh.filter((row) => row.status === 'pending' && row.attempts === attemptsSeen.get(row.id));
		const lost = await this.withoutJob(unchanged);
		this.reportBroken(lost);
		// A job left in Redis under the delivery's id (a husk, or a finished job) would make Bull ignore the new add.
		await removeJobTraces(this.input.queue, lost.filter(({ state }) => state !== 'missing').map(({ row }) => row.id));
		// Attempts all spent, yet still pending: the last attempt's record died with its process; nothing is left to try.
		const spent = lost.filter(({ row }) => row.attempts >= row.maxAttempts).map(({ row }) => row);
		const remaining = lost.filter(({ row }) => row.attempts < row.maxAttempts).map(({ row }) => row);
		await this.input.store.markFailed(spent.map((row) => row.id), new Date());
		if (remaining.length > 0) await addDeliveryJobs(this.input.queue, remaining.map((row) => this.input.jobOf(row)));
		report.exhausted += spent.length;
		report.requeued += remaining.length;
	}

	/**
	 * The rows whose job (id = delivery id) is not live in the queue, in one round trip: a delivery counts as queued only
	 * if its job exists with its data and is waiting, active, delayed or paused.
	 */
	private async withoutJob<Row extends { id: string }>(rows: readonly Row[]): Promise<Array<Unqueued<Row>>> {
		if (rows.length === 0) return [];
		const states = await jobStates(this.input.queue, rows.map((row) => row.id));
		return rows.flatMap((row, index) => {
			const state = states[index] ?? 'missing';
			return LIVE_JOB_STATES.has(state) ? [] : [{ row, state }];
		});
	}

	/** A job that lost its data, or ended while its delivery is pending, is a fault worth a line of its own. */
	private reportBroken(lost: readonly Unqueued[]): void {
		for (const state of ['husk', 'stranded'] as const) {
			const ids = lost.filter((item) => item.state === state).map(({ row }) => row.id);
			if (ids.length === 0) continue;
			const what = state === 'husk' ? 'job(s) without data (Redis lost them while they were queued)' : 'finished job(s) whose delivery is still pending';
			this.input.logger.warn({ found: what, count: ids.length, deliveryIds: ids.slice(0, 20) }, `${this.input.label} reconciler: removed jobs that could not deliver and re-queued them from the outbox`);
		}
	}

	private async acquireLock(): Promise<string | null> {
		const token = randomUUID();
		const taken = await this.input.queue.client.set(this.lockKey(), token, 'PX', this.lockTtlMs(), 'NX');
		return taken === 'OK' ? token : null;
	}

	private async extendLock(token: string): Promise<void> {
		await this.input.queue.client.set(this.lockKey(), token, 'PX', this.lockTtlMs(), 'XX');
	}

	private async releaseLock(token: string): Promise<void> {
		await this.input.queue.client.eval(RELEASE_LOCK, 1, this.lockKey(), token).catch(() => undefined);
	}

	private lockKey(): string {
		return this.input.queue.toKey('reconciler-lock');
	}

	// Long enough for a batch's settle wait and round trips; a process that dies holding it frees it soon after.
	private lockTtlMs(): number {
		return Math.max(this.input.intervalMs, 4 * this.input.settleMs + 10_000);
	}
}
