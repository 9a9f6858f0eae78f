import type { WebhookLogger } from '../../core/logger.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';
import { describeError } from '../../core/database-error.js';

/** What a periodic task runs, and where its results and failures go. */
export interface PeriodicTaskInput<Result> {
	intervalMs: number;
	pass(): Promise<Result>;
	onResult?(result: Result): void;
	/** A failed scheduled pass is reported here and tried again at the next tick. */
	onError(error: unknown): void;
}

/**
 * One pass now and then every `intervalMs` in the background, for the worker's housekeeping (reconciler, pruner):
 * passes never overlap (a `run` during a pass joins it), and `stop` waits for the running pass. A pass that loops
 * should end early once `stopped` is true.
 */
export class PeriodicTask<Result> {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<Result> | null = null;
	private stopRequested = false;

	constructor(private readonly input: PeriodicTaskInput<Result>) {}

	get stopped(): boolean {
		return this.stopRequested;
	}

	start(): void {
		this.stopRequested = false;
		void this.runReported();
		this.timer = setInterval(() => void this.runReported(), this.input.intervalMs);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		this.stopRequested = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running?.catch(() => undefined);
	}

	/** One pass (joins the running one, if any). */
	run(): Promise<Result> {
		this.running ??= this.input.pass().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async runReported(): Promise<void> {
		try {
			// Not `onResult?.(await this.run())`: an absent onResult would skip evaluating the pass itself.
			const result = await this.run();
			this.input.onResult?.(result);
		} catch (error) {
			this.input.onError(error);
		}
	}
}

/**
 * Housekeeping of one kind's outbox that runs as a `PeriodicTask`: a subclass gives the pass, and where a failed pass is
 * logged says what failed.
 */
export abstract class OutboxHousekeeping<Result> {
	protected readonly schedule: PeriodicTask<Result>;

	protected constructor(input: { kind: WebhookKindName; intervalMs: number; logger: WebhookLogger; failure: string; onResult?: (result: Result) => void }) {
		this.schedule = new PeriodicTask({
			intervalMs: input.intervalMs,
			pass: () => this.pass(),
			onResult: input.onResult,
			onError: (error) => input.logger.warn({ kind: input.kind, error: describeError(error) }, `${input.failure} failed, will try again`),
		});
	}

	/** Runs a pass now, then every `intervalMs`, in the background. */
	start(): void {
		this.schedule.start();
	}

	/** Stops the schedule and waits for a running pass to end. */
	stop(): Promise<void> {
		return this.schedule.stop();
	}

	/** One pass (joins the running one, if any). */
	run(): Promise<Result> {
		return this.schedule.run();
	}

	protected abstract pass(): Promise<Result>;
}
