import type { DeliveryStore, NewDelivery, NewDeliveryEvent } from '../../store/delivery-store.js';
import { isTransientDatabaseError } from '../../core/database-error.js';

/** Events one INSERT (and one add to the queue) carries at most, so a burst never builds an unbounded statement. */
export const OUTBOX_MAX_EVENTS_PER_WRITE = 500;

/**
 * What became of one event's deliveries: rows written and jobs queued; rows written but the queue refused the jobs (the
 * reconciler will queue them); or jobs queued but the rows not written because PostgreSQL could not take them right now
 * (delivered without a log).
 */
export type OutboxWriteResult =
	| { kind: 'queued' }
	| { kind: 'waiting'; error: unknown }
	| { kind: 'unwritten'; error: unknown };

interface PendingEvent<Job> {
	event: NewDeliveryEvent;
	rows: readonly NewDelivery[];
	jobs: readonly Job[];
	resolve(result: OutboxWriteResult): void;
	reject(error: unknown): void;
}

/**
 * INSERTs of the outbox that may run at once. One at a time, an event raised while one runs waits for it and then for
 * its own, so a server raising events from many requests at once is held to about one event batch per two commit
 * latencies; a few at once keep the events flowing while each still waits for its own rows only.
 */
export const OUTBOX_MAX_WRITES_IN_FLIGHT = 4;

/**
 * The most jobs a batch may hold to be added while its INSERT runs. A bigger batch is a burst: its jobs are added once
 * its rows are committed, since its workers are busy anyway and its attempts would mostly race their rows.
 */
export const OUTBOX_EARLY_ADD_MAX_JOBS = 16;

/**
 * The hot path of the outbox, with group commit: an event arriving while nothing is being written goes at once, alone;
 * events arriving while an INSERT runs go together, in one INSERT of all their rows and one add of all their jobs: at
 * once on a free lane (up to OUTBOX_MAX_WRITES_IN_FLIGHT INSERTs run together), else as soon as one ends. No event ever
 * waits for a timer.
 *
 * The jobs of a batch of at most OUTBOX_EARLY_ADD_MAX_JOBS are added while its INSERT runs, not after its commit, so a
 * delivery does not wait for PostgreSQL's WAL flush before a worker can take it; a bigger batch's jobs are added after
 * the commit. Either way an event resolves only once its rows are committed (or PostgreSQL could not take them), so a
 * caller that has its promise has its event kept. A job's attempt may therefore be recorded before its row exists: the
 * attempt log keeps such an attempt until the row lands. A job whose row never lands (PostgreSQL away) is delivered
 * without a log. An INSERT PostgreSQL rejects (a bug, not an outage) rejects every event it carried, and jobs already
 * added are taken back from the queue unless a worker holds them.
 */
export class OutboxWriter<Job> {
	private waiting: Array<PendingEvent<Job>> = [];
	private writesInFlight = 0;
	private laneOpening = false;

	constructor(private readonly input: {
		store: Pick<DeliveryStore, 'insertEvents'>;
		queueJobs(jobs: Job[]): Promise<unknown>;
		/** Takes back jobs of rows PostgreSQL rejected, where no worker holds them yet. */
		unqueueJobs(jobs: Job[]): Promise<unknown>;
	}) {}

	/** Writes one event's rows and queues its jobs; resolves with what became of them once both are done. */
	write(event: NewDeliveryEvent, rows: readonly NewDelivery[], jobs: readonly Job[]): Promise<OutboxWriteResult> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ event, rows, jobs, resolve, reject });
			if (this.writesInFlight === 0) this.startWrites();
			else if (this.writesInFlight < OUTBOX_MAX_WRITES_IN_FLIGHT && !this.laneOpening) {
				// Opened after the current task, so the events raised together with this one share its INSERT.
				this.laneOpening = true;
				queueMicrotask(() => {
					this.laneOpening = false;
					this.startWrites();
				});
			}
		});
	}

	private startWrites(): void {
		while (this.waiting.length > 0 && this.writesInFlight < OUTBOX_MAX_WRITES_IN_FLIGHT) {
			this.writesInFlight++;
			void this.writeBatch(this.waiting.splice(0, OUTBOX_MAX_EVENTS_PER_WRITE)).finally(() => {
				this.writesInFlight--;
				this.startWrites();
			});
		}
	}

	private async writeBatch(batch: ReadonlyArray<PendingEvent<Job>>): Promise<void> {
		const jobs = batch.flatMap((pending) => pending.jobs);
		const added = jobs.length <= OUTBOX_EARLY_ADD_MAX_JOBS ? this.add(jobs) : null;
		let rowsError: { error: unknown } | null = null;
		try {
			await this.input.store.insertEvents(batch);
		} catch (error) {
			rowsError = { error };
		}
		// The lane is free once the INSERT has ended, which is all the group commit asks; the add may still run.
		if (rowsError !== null && !isTransientDatabaseError(rowsError.error)) {
			// Refused outright: the events fail, and jobs already added are taken back once their add is done.
			void added?.then((queue) => ('error' in queue ? undefined : this.input.unqueueJobs(jobs))).catch(() => undefined);
			batch.forEach((pending) => pending.reject(rowsError.error));
			return;
		}
		void (added ?? this.add(jobs)).then((queue) => this.settle(batch, rowsError, queue));
	}

	/** Adds jobs to the queue; resolves with the queue's error, if it refused them. */
	private add(jobs: Job[]): Promise<{ error?: unknown }> {
		return this.input.queueJobs(jobs).then(
			(): { error?: unknown } => ({}),
			(error: unknown) => ({ error }),
		);
	}

	/** What became of a batch whose rows were written, or not written for an outage, once its add is done. */
	private settle(batch: ReadonlyArray<PendingEvent<Job>>, rowsError: { error: unknown } | null, queue: { error?: unknown }): void {
		if (rowsError !== null && 'error' in queue) {
			// Neither PostgreSQL nor Redis took the event: nothing of it is kept, so the caller must hear of it.
			batch.forEach((pending) => pending.reject(queue.error));
			return;
		}
		let result: OutboxWriteResult;
		if (rowsError !== null) result = { kind: 'unwritten', error: rowsError.error };
		else result = 'error' in queue ? { kind: 'waiting', error: queue.error } : { kind: 'queued' };
		batch.forEach((pending) => pending.resolve(result));
	}
}
