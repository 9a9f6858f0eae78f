import type { DeliveryStore, NewDelivery, NewDeliveryEvent } from '../store/delivery-store.js';
import { isTransientDatabaseError } from './database-error.js';

/** Events one INSERT (and one add to the queue) carries at most, so a burst never builds an unbounded statement. */
export const OUTBOX_MAX_EVENTS_PER_WRITE = 500;

/**
 * What became of one event's deliveries: rows written and jobs queued; rows written but the queue refused the jobs (the
 * reconciler will queue them); or rows not written because PostgreSQL could not take them right now (nothing queued).
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
 * The hot path of the outbox (issue 4 point 3), with group commit: an event arriving while nothing is being written
 * goes at once, alone; events arriving meanwhile wait for that INSERT and then go together: one INSERT for all their
 * rows, then one add of all their jobs, which runs while the next INSERT does. Under load a round trip carries many
 * events, and no event ever waits for a timer. Rows always land before their jobs are queued. An INSERT PostgreSQL
 * rejects (a bug, not an outage) rejects every event it carried.
 */
export class OutboxWriter<Job> {
	private waiting: Array<PendingEvent<Job>> = [];
	private writing = false;

	constructor(private readonly input: { store: Pick<DeliveryStore, 'insertEvents'>; queueJobs(jobs: Job[]): Promise<unknown> }) {}

	/** Writes one event's rows, then queues its jobs; resolves with what became of them. */
	write(event: NewDeliveryEvent, rows: readonly NewDelivery[], jobs: readonly Job[]): Promise<OutboxWriteResult> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ event, rows, jobs, resolve, reject });
			if (!this.writing) void this.writeAll();
		});
	}

	private async writeAll(): Promise<void> {
		this.writing = true;
		while (this.waiting.length > 0) {
			const batch = this.waiting.splice(0, OUTBOX_MAX_EVENTS_PER_WRITE);
			const settle = (result: OutboxWriteResult) => batch.forEach((pending) => pending.resolve(result));
			try {
				await this.input.store.insertEvents(batch);
			} catch (error) {
				if (isTransientDatabaseError(error)) settle({ kind: 'unwritten', error });
				else batch.forEach((pending) => pending.reject(error));
				continue;
			}
			// The next INSERT need not wait for this add: its rows are written, which is all the order asks.
			this.input.queueJobs(batch.flatMap((pending) => pending.jobs)).then(
				() => settle({ kind: 'queued' }),
				(error: unknown) => settle({ kind: 'waiting', error }),
			);
		}
		this.writing = false;
	}
}
