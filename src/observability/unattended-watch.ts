import type { WebhookLogger } from '../core/logger.js';
import { describeError } from '../core/database-error.js';
import { PeriodicTask } from '../delivery/outbox/periodic-task.js';
import type { QueueReading } from './queue-readings.js';
import { withTimeout } from './with-timeout.js';

/** The longest time between two looks: a queue found unattended is told within this after the threshold. */
const MAX_WATCH_INTERVAL_MS = 15_000;

/** A look that Redis or PostgreSQL keeps waiting is given up after this, so that `stop` (the module's close) never hangs. */
export const WATCH_READ_TIMEOUT_MS = 2000;

export interface UnattendedWatchInput {
	/** Reads every delivery queue (Redis, and the outbox for a waiting retry's due time). */
	read(): Promise<readonly QueueReading[]>;
	/** The module's `unattendedQueueAfterMs`. */
	unattendedQueueAfterMs: number;
	logger: WebhookLogger;
}

/**
 * Looks at the delivery queues now and then, in every process (one that never starts workers above all), and logs a
 * warning when one becomes unattended: deliveries wait and no worker anywhere takes them. Once per episode, not at every
 * look; when workers take jobs again (or nothing waits any more) it says so once, at `info`.
 */
export class UnattendedWatch {
	private readonly task: PeriodicTask<void>;
	private readonly warned = new Set<string>();

	constructor(private readonly input: UnattendedWatchInput) {
		this.task = new PeriodicTask({
			// Four looks per threshold: an unattended queue is told at most a quarter of the threshold late.
			intervalMs: Math.min(Math.ceil(input.unattendedQueueAfterMs / 4), MAX_WATCH_INTERVAL_MS),
			pass: () => this.look(),
			// Redis or PostgreSQL away: the queues' own errors say so; nothing is known of the workers until the next look.
			onError: (error) => input.logger.debug({ error: describeError(error) }, 'unattended-queue check could not read the queues'),
		});
	}

	start(): void {
		this.task.start();
	}

	stop(): Promise<void> {
		return this.task.stop();
	}

	private async look(): Promise<void> {
		for (const { lag, attendance } of await withTimeout(() => this.input.read(), WATCH_READ_TIMEOUT_MS, 'queue attendance')) {
			const fields = {
				queue: attendance.name,
				waiting: lag.waiting + lag.overdueDelayed,
				unattendedMs: attendance.unattendedMs,
				lastTakenAt: attendance.lastTakenAt,
				unattendedQueueAfterMs: this.input.unattendedQueueAfterMs,
			};
			if (attendance.unattended && !this.warned.has(attendance.name)) {
				this.warned.add(attendance.name);
				this.input.logger.warn(fields, 'deliveries wait and no worker takes them: is startWorkers() running in some process?');
			} else if (!attendance.unattended && this.warned.delete(attendance.name)) {
				this.input.logger.info(fields, 'deliveries no longer wait unattended');
			}
		}
	}
}
