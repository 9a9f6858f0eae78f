/**
 * Caps the requests in flight to one target host within this process (`concurrencyPerTargetHost`), so one slow
 * receiver cannot hold every worker slot's connection; waiters are served first come, first served, per host.
 * Replaces Misskey's global 64 jobs/s cap (spec §14.9): there is no process-wide rate limit.
 */
export class TargetHostLimiter {
	private readonly hosts = new Map<string, { active: number; waiting: Array<() => void> }>();

	constructor(private readonly limitPerHost: number) {
		if (!Number.isInteger(limitPerHost) || limitPerHost < 1) throw new RangeError(`limitPerHost must be a positive integer: ${limitPerHost}`);
	}

	/** Runs `task` once `host` has a free slot, and frees the slot when it settles. */
	async run<T>(host: string, task: () => Promise<T>): Promise<T> {
		await this.acquire(host);
		try {
			return await task();
		} finally {
			this.release(host);
		}
	}

	/** Requests in flight to `host` right now. */
	activeFor(host: string): number {
		return this.hosts.get(host)?.active ?? 0;
	}

	/** Tasks waiting for a slot at `host` right now. */
	waitingFor(host: string): number {
		return this.hosts.get(host)?.waiting.length ?? 0;
	}

	private acquire(host: string): Promise<void> {
		let state = this.hosts.get(host);
		if (!state) {
			state = { active: 0, waiting: [] };
			this.hosts.set(host, state);
		}
		if (state.active < this.limitPerHost) {
			state.active++;
			return Promise.resolve();
		}
		const queue = state.waiting;
		return new Promise((resolve) => queue.push(resolve));
	}

	private release(host: string): void {
		const state = this.hosts.get(host);
		if (!state) return;
		// The slot passes straight to the next waiter, so the count stays right and nobody can jump the queue.
		const next = state.waiting.shift();
		if (next) {
			next();
			return;
		}
		state.active--;
		if (state.active === 0) this.hosts.delete(host);
	}
}

/** The limiter key of a target URL: host with port as written; an unparsable URL is its own key (it fails fast anyway). */
export function targetHostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
