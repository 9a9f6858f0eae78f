import type Bull from 'bull';

/**
 * When a worker, in any process, last took a job from a queue (epoch ms, as text): one Redis key per queue, so that a
 * process without workers of its own can tell whether anybody serves the queue (observability/queue-readings.ts).
 */
export function lastTakenKey(queue: Bull.Queue): string {
	return queue.toKey('workers:last-taken');
}

/** A process writes the key at most this often per queue; what it holds is never further behind its last take. */
export const LAST_TAKEN_WRITE_INTERVAL_MS = 1000;

/**
 * Writes `lastTakenKey` as this process's workers take jobs, throttled: the first take after a quiet second is written
 * at once, later ones in that second once at its end. A busy worker thus costs one Redis write a second, not one a job.
 */
export class LastTakenWriter {
	private writtenAt = Number.NEGATIVE_INFINITY;
	private takenAt = 0;
	private timer: NodeJS.Timeout | null = null;
	private stopped = false;

	constructor(private readonly queue: Bull.Queue) {}

	/** A worker of this process took a job at `at` (epoch ms). */
	taken(at = Date.now()): void {
		if (this.stopped) return;
		this.takenAt = Math.max(this.takenAt, at);
		if (this.timer) return;
		const waitMs = this.writtenAt + LAST_TAKEN_WRITE_INTERVAL_MS - at;
		if (waitMs <= 0) {
			this.write();
			return;
		}
		this.timer = setTimeout(() => this.write(), waitMs);
		this.timer.unref();
	}

	/** No more writes; a take not yet written is dropped (it is at most a second newer than the one written). */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private write(): void {
		this.timer = null;
		this.writtenAt = this.takenAt;
		// A write lost to a Redis outage is made up by the next take; the outage itself is the queue's error to report.
		this.queue.client.set(lastTakenKey(this.queue), String(this.takenAt)).catch(() => undefined);
	}
}
