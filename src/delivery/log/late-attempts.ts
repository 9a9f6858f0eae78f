/** How long an attempt whose delivery row is not there is kept and tried again before it is given up. */
export const LATE_ATTEMPT_MAX_AGE_MS = 30_000;
/** The shortest and longest wait before such attempts are tried again; the wait grows with how long they have waited. */
const LATE_RETRY_MIN_MS = 50;
const LATE_RETRY_MAX_MS = 1_000;

/**
 * Attempts whose delivery row was not there when their batch was written. A job is queued while its outbox row's INSERT
 * is still running, so a fast receiver's attempt can be recorded before that row commits: it is tried again soon, then
 * less often, until the row is there, or until `maxAgeMs` after it was first missed (a row that never came: its INSERT
 * failed, or the row was pruned), when it is given up.
 */
export class LateAttempts<Item extends object> {
	private held: Item[] = [];
	private readonly firstMissedAt = new WeakMap<Item, number>();
	private timer: NodeJS.Timeout | null = null;
	private readonly maxAgeMs: number;

	constructor(private readonly input: {
		/** Puts the items back in line to be written. */
		retry(items: readonly Item[]): void;
		/** Told how many items were given up. */
		givenUp(count: number): void;
		maxAgeMs?: number;
	}) {
		this.maxAgeMs = input.maxAgeMs ?? LATE_ATTEMPT_MAX_AGE_MS;
	}

	get size(): number {
		return this.held.length;
	}

	/** Keeps items whose row was missing; they go back in line after a wait. */
	hold(items: readonly Item[]): void {
		const now = Date.now();
		for (const item of items) {
			if (!this.firstMissedAt.has(item)) this.firstMissedAt.set(item, now);
			this.held.push(item);
		}
		if (this.timer === null && this.held.length > 0) {
			let youngest = Infinity;
			for (const item of items) youngest = Math.min(youngest, now - (this.firstMissedAt.get(item) ?? now));
			this.timer = setTimeout(() => this.release(), Math.min(LATE_RETRY_MAX_MS, Math.max(LATE_RETRY_MIN_MS, youngest)));
			this.timer.unref();
		}
	}

	/** Puts every held item back in line now (those past their age are given up). */
	release(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.held.length === 0) return;
		const now = Date.now();
		const held = this.held;
		this.held = [];
		const kept = held.filter((item) => now - (this.firstMissedAt.get(item) ?? now) < this.maxAgeMs);
		if (kept.length < held.length) this.input.givenUp(held.length - kept.length);
		if (kept.length > 0) this.input.retry(kept);
	}

	/** Gives up everything held; resolves how many that was. */
	drop(): number {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const count = this.held.length;
		this.held = [];
		return count;
	}
}
