import type { DeliveryStore, NewDelivery, NewDeliveryEvent } from '../../store/delivery-store.js';
import { isTransientDatabaseError } from '../../core/database-error.js';

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
 * INSERTs of the outbox that may run at once. One at a time, an event raised while one runs waits for it and then for
 * its own, so a server raising events from many requests at once is held to about one event batch per two commit
 * latencies; a few at once keep the events flowing while each still waits for its own rows only.
 */
export const OUTBOX_MAX_WRITES_IN_FLIGHT = 4;

/**
 * The hot path of the outbox, with group commit: an event arriving while nothing is being written
 * goes at once, alone; events arriving while an INSERT runs go together, in one INSERT of all their rows and then one
 * add of all their jobs: at once on a free lane (up to OUTBOX_MAX_WRITES_IN_FLIGHT INSERTs run together), else as soon
 * as one ends. No event ever waits for a timer. Each batch's rows land before its jobs are queued; batches on
 * different lanes are not ordered, as deliveries of different events never were. An INSERT PostgreSQL rejects (a bug,
 * not an outage) rejects every event it carried.
 */
export class OutboxWriter<Job> {
	private waiting: Array<PendingEvent<Job>> = [];
	private writesInFlight = 0;
	private laneOpening = false;

	constructor(private readonly input: { store: Pick<DeliveryStore, 'insertEvents'>; queueJobs(jobs: Job[]): Promise<unknown> }) {}

	/** Writes one event's rows, then queues its jobs; resolves with what became of them. */
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
		const settle = (result: OutboxWriteResult) => batch.forEach((pending) => pending.resolve(result));
		try {
			await this.input.store.insertEvents(batch);
		} catch (error) {
			if (isTransientDatabaseError(error)) settle({ kind: 'unwritten', error });
			else batch.forEach((pending) => pending.reject(error));
			return;
		}
		// The lane is free once the rows are written, which is all the order asks; the add runs meanwhile.
		this.input.queueJobs(batch.flatMap((pending) => pending.jobs)).then(
			() => settle({ kind: 'queued' }),
			(error: unknown) => settle({ kind: 'waiting', error }),
		);
	}
}
