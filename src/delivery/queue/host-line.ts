/** Deferred job ids remembered per host, for their place in line; past it, later jobs no longer wait behind them. */
const MAX_REMEMBERED_DEFERRALS = 10_000;

/**
 * One host's line of jobs set aside in the delayed set, as this worker process knows it: where the line ends, the jobs
 * this process put in it (they go first when they come back) and how many times it was released.
 */
export class HostLine {
	/** Due time of the last job deferred for this host: the end of its line in the delayed set. */
	endsAt = 0;
	/** Until when the jobs in `deferred` are expected back; past it, later jobs no longer wait behind them. */
	deferredUntil = 0;
	/** Counts the releases of this line; a job deferred before the last one may go now. */
	generation = 0;
	/** Jobs deferred for this host by this process, in the order they were deferred. */
	private readonly deferred = new Set<string>();

	get size(): number {
		return this.deferred.size;
	}

	/** Whether `jobId` is one of this line's jobs coming back; it leaves the line. */
	takeBack(jobId: string | undefined): boolean {
		return jobId !== undefined && this.deferred.delete(jobId);
	}

	/** Whether jobs of this line, still expected back, go before a newcomer; forgets them once they are overdue. */
	hasJobsAhead(now: number): boolean {
		if (this.deferredUntil < now) this.deferred.clear();
		return this.deferred.size > 0;
	}

	/** Puts the job at the end of the line: no earlier than `earliest`, `step` after the job before it; its due time. */
	join(jobId: string | undefined, earliest: number, step: number): number {
		const dueAt = Math.ceil(Math.max(earliest, this.endsAt + step));
		this.endsAt = dueAt;
		this.deferredUntil = Math.max(this.deferredUntil, dueAt);
		if (jobId !== undefined && this.deferred.size < MAX_REMEMBERED_DEFERRALS) this.deferred.add(jobId);
		return dueAt;
	}

	/** The line was laid out for a host that does not answer: it starts again now; the jobs in it, oldest first. */
	release(now: number, rememberMs: number): string[] {
		this.endsAt = now;
		this.generation++;
		const deferred = [...this.deferred];
		// Still remembered for a while: they come back first, ahead of jobs queued after them.
		if (deferred.length > 0) this.deferredUntil = now + rememberMs;
		return deferred;
	}
}
