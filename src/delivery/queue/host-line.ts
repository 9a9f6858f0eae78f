/** Deferred job ids remembered per host, for their place in line; past it, later jobs no longer wait behind them. */
const MAX_REMEMBERED_DEFERRALS = 10_000;

/** A job brought back early that has not come back within this long, ms, no longer counts as on its way. */
const PULL_RETURN_MS = 1000;

/** A job this process set aside, and when it is due back. */
export interface LineEntry {
	readonly jobId: string;
	readonly dueAt: number;
}

/**
 * One host's line of jobs set aside in the delayed set, as this worker process knows it: where the line ends, the jobs
 * this process put in it (they go first when they come back), which of them hold later jobs back, and how many times
 * the line was released.
 */
export class HostLine {
	/** Due time of the last job deferred for this host: the end of its line in the delayed set. */
	endsAt = 0;
	/** Until when the jobs in `deferred` are expected back; past it, they are forgotten. */
	deferredUntil = 0;
	/** Counts the releases of this line; a job deferred before the last one may go now. */
	generation = 0;
	/** Jobs deferred for this host by this process, in the order they were deferred, with their due times. */
	private readonly deferred = new Map<string, number>();
	/** The same jobs in line order, for bringing the next ones back early; `nextToPull` is the first not yet looked at. */
	private pullable: LineEntry[] = [];
	private nextToPull = 0;
	/** Jobs brought back early and not back yet, with when they were sent for. */
	private readonly pulled = new Map<string, number>();
	/**
	 * Of those, the jobs that found the host without a free slot (or its circuit open): a later job that finds a slot
	 * free steps aside behind them until they are back or due. A job that stepped aside only to keep its place while a
	 * slot was free holds no one back: it comes back behind whatever was queued meanwhile, so jobs waiting behind it
	 * would step aside in turn, and a backlog would go round the delayed set job by job while the host sits idle.
	 */
	private readonly holding = new Set<string>();
	private holdingUntil = 0;

	get size(): number {
		return this.deferred.size;
	}

	/** Whether `jobId` is one of this line's jobs coming back; it leaves the line. */
	takeBack(jobId: string | undefined): boolean {
		if (jobId === undefined) return false;
		this.holding.delete(jobId);
		this.pulled.delete(jobId);
		return this.deferred.delete(jobId);
	}

	/** Whether jobs of this line that hold later ones back are still expected; forgets them once they are overdue. */
	hasJobsAhead(now: number): boolean {
		if (this.deferredUntil < now) this.forget();
		if (this.holdingUntil < now) this.holding.clear();
		return this.holding.size > 0;
	}

	/**
	 * Puts the job at the end of the line: no earlier than `earliest`, `step` after the job before it; its due time.
	 * `holds`: the job found no room at the host, and later jobs step aside behind it.
	 */
	join(jobId: string | undefined, earliest: number, step: number, holds: boolean): number {
		const dueAt = Math.ceil(Math.max(earliest, this.endsAt + step));
		this.endsAt = dueAt;
		this.deferredUntil = Math.max(this.deferredUntil, dueAt);
		if (jobId !== undefined && this.deferred.size < MAX_REMEMBERED_DEFERRALS) {
			this.deferred.set(jobId, dueAt);
			this.pullable.push({ jobId, dueAt });
			if (holds) {
				this.holding.add(jobId);
				this.holdingUntil = Math.max(this.holdingUntil, dueAt);
			}
		}
		return dueAt;
	}

	/**
	 * The next jobs of the line, oldest first, to bring back before their due time: the host has free slots now and
	 * nothing waits for them. At most `room` jobs are on their way back at once.
	 */
	pull(now: number, room: number): LineEntry[] {
		for (const [jobId, at] of this.pulled) if (now - at > PULL_RETURN_MS) this.pulled.delete(jobId);
		const jobs: LineEntry[] = [];
		while (jobs.length < room - this.pulled.size && this.nextToPull < this.pullable.length) {
			const entry = this.pullable[this.nextToPull++];
			// Due already (it comes back on its own), or back, or deferred again since.
			if (entry.dueAt <= now || this.deferred.get(entry.jobId) !== entry.dueAt) continue;
			jobs.push(entry);
			this.pulled.set(entry.jobId, now);
		}
		if (this.nextToPull > 1024 && this.nextToPull * 2 > this.pullable.length) {
			this.pullable = this.pullable.slice(this.nextToPull);
			this.nextToPull = 0;
		}
		return jobs;
	}

	/**
	 * The line was laid out for a host that does not answer: it starts again now; the jobs in it, oldest first. They go
	 * to the head of the waiting list, so they hold no one back any more.
	 */
	release(now: number, rememberMs: number): string[] {
		this.endsAt = now;
		this.generation++;
		this.holding.clear();
		this.pullable = [];
		this.nextToPull = 0;
		const deferred = [...this.deferred.keys()];
		// Still remembered for a while: when they come back they are let through as the jobs they were.
		if (deferred.length > 0) this.deferredUntil = now + rememberMs;
		return deferred;
	}

	private forget(): void {
		this.deferred.clear();
		this.pulled.clear();
		this.pullable = [];
		this.nextToPull = 0;
	}
}
