import type { WebhookLogger } from '../../core/logger.js';
import { describeError, isTransientDatabaseError } from '../../core/database-error.js';

/** How long a recorded item may wait before it is written (never one round trip per delivery). */
export const BATCH_FLUSH_INTERVAL_MS = 50;
/** Pending items that trigger a write at once; also the most items one statement carries. */
export const BATCH_FLUSH_SIZE = 500;
/** Waits before retrying a write the database could not take (PostgreSQL away), doubling up to the last. */
export const BATCH_RETRY_DELAYS_MS: readonly number[] = [100, 200, 400, 800, 1600, 3200, 5000];
/** Items kept while the database is away; past it the oldest are dropped (and the drop is logged), so memory stays bounded. */
export const BATCH_MAX_PENDING = 100_000;
/** How long `close` keeps retrying a write the database cannot take before it gives the items up. */
export const BATCH_CLOSE_TIMEOUT_MS = 5_000;

/** Where a writer keeps what is waiting: a list, or the latest item per key. */
export interface BatchBuffer<Item> {
	readonly size: number;
	add(item: Item): void;
	/** Everything pending, oldest first; the buffer is empty afterwards. */
	takeAll(): Item[];
	/** Puts back items a failed write kept, ahead of anything recorded since (a newer item for the same key wins). */
	restore(items: readonly Item[]): void;
}

/** A buffer that keeps every item, in order (attempt rows). */
export class ListBuffer<Item> implements BatchBuffer<Item> {
	private items: Item[] = [];
	get size(): number {
		return this.items.length;
	}
	add(item: Item): void {
		this.items.push(item);
	}
	takeAll(): Item[] {
		const taken = this.items;
		this.items = [];
		return taken;
	}
	restore(items: readonly Item[]): void {
		this.items = [...items, ...this.items];
	}
}

/** A buffer that holds one item per key, in the map's order; a subclass says how a new or restored item meets the one held. */
export abstract class KeyedBuffer<Item> implements BatchBuffer<Item> {
	protected items = new Map<string, Item>();
	get size(): number {
		return this.items.size;
	}
	takeAll(): Item[] {
		const taken = [...this.items.values()];
		this.items = new Map();
		return taken;
	}
	abstract add(item: Item): void;
	abstract restore(items: readonly Item[]): void;
}

/** A buffer that keeps only the latest item per key (a webhook's latest status). */
export class LatestByKeyBuffer<Item> extends KeyedBuffer<Item> {
	constructor(private readonly keyOf: (item: Item) => string) {
		super();
	}
	add(item: Item): void {
		const key = this.keyOf(item);
		// Re-inserting keeps the map in recording order.
		this.items.delete(key);
		this.items.set(key, item);
	}
	restore(items: readonly Item[]): void {
		const restored = new Map<string, Item>();
		for (const item of items) if (!this.items.has(this.keyOf(item))) restored.set(this.keyOf(item), item);
		this.items = new Map([...restored, ...this.items]);
	}
}

/** What a writer is made of: its buffer, the statement that writes one chunk, and how its log lines name things. */
export interface BatchWriterInput<Item> {
	buffer: BatchBuffer<Item>;
	/** Writes one chunk (at most `batchSize` items) in one statement. */
	write(chunk: readonly Item[]): Promise<void>;
	logger: WebhookLogger;
	/** Names the writer and its items in log lines, e.g. `webhook status` and `webhook(s)`. */
	label: string;
	noun: string;
	intervalMs?: number;
	batchSize?: number;
}

/**
 * Batched writes to PostgreSQL: items wait up to `intervalMs` (or until `batchSize` are pending) and
 * go out one statement per chunk. Flushes run one after another, so a later item never loses to an earlier one. A write
 * the database could not take (connection lost, server shutting down) is kept and retried with backoff until it lands;
 * one the database rejects is logged and dropped, never thrown into delivery.
 */
export class BatchWriter<Item> {
	private timer: NodeJS.Timeout | null = null;
	private lastFlush: Promise<void> = Promise.resolve();
	private queuedFlush: Promise<void> | null = null;
	private failures = 0;
	private readonly intervalMs: number;
	private readonly batchSize: number;

	constructor(private readonly input: BatchWriterInput<Item>) {
		this.intervalMs = input.intervalMs ?? BATCH_FLUSH_INTERVAL_MS;
		this.batchSize = input.batchSize ?? BATCH_FLUSH_SIZE;
	}

	/** Items waiting to be written. */
	get pending(): number {
		return this.input.buffer.size;
	}

	/** Notes one item; it is written within the interval, or at once when a full batch is waiting. */
	add(item: Item): void {
		this.input.buffer.add(item);
		if (this.input.buffer.size >= this.batchSize && this.failures === 0) void this.flush();
		else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
	}

	/** Writes everything added so far; resolves once it is in the database, or kept for a retry, or the failure was logged. */
	flush(): Promise<void> {
		// At most one flush runs and one waits behind it: the waiting one picks up whatever arrives meanwhile.
		this.queuedFlush ??= this.lastFlush.then(() => {
			this.queuedFlush = null;
			return this.writePending();
		});
		this.lastFlush = this.queuedFlush;
		return this.queuedFlush;
	}

	/** Writes what is pending, retrying for up to `BATCH_CLOSE_TIMEOUT_MS` while the database is away; then gives up what is left. */
	async close(): Promise<void> {
		const deadline = Date.now() + BATCH_CLOSE_TIMEOUT_MS;
		await this.flush();
		while (this.input.buffer.size > 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs()));
			await this.flush();
		}
		this.clearTimer();
		const left = this.input.buffer.takeAll().length;
		if (left > 0) this.input.logger.warn({ writer: this.input.label, dropped: left }, `${this.input.label}: ${this.input.noun} not written before close`);
	}

	private async writePending(): Promise<void> {
		this.clearTimer();
		const items = this.input.buffer.takeAll();
		for (let start = 0; start < items.length; start += this.batchSize) {
			const chunk = items.slice(start, start + this.batchSize);
			try {
				await this.input.write(chunk);
			} catch (error) {
				if (!isTransientDatabaseError(error)) {
					this.input.logger.warn({ writer: this.input.label, dropped: chunk.length, error: describeError(error) }, `${this.input.label} write failed; ${this.input.noun} dropped`);
					continue;
				}
				this.keepForRetry(items.slice(start), error);
				return;
			}
		}
		if (this.failures > 0) this.input.logger.info({ writer: this.input.label, failedTries: this.failures }, `${this.input.label} writes resumed`);
		this.failures = 0;
	}

	private keepForRetry(items: readonly Item[], error: unknown): void {
		if (this.failures === 0) this.input.logger.warn({ writer: this.input.label, pending: items.length, error: describeError(error) }, `${this.input.label} write failed, will retry`);
		this.failures++;
		this.input.buffer.restore(items);
		const overflow = this.input.buffer.size - BATCH_MAX_PENDING;
		if (overflow > 0) {
			this.input.buffer.restore(this.input.buffer.takeAll().slice(overflow));
			this.input.logger.warn({ writer: this.input.label, dropped: overflow }, `${this.input.label}: dropped the oldest ${this.input.noun} while the database is away`);
		}
		this.clearTimer();
		this.timer = setTimeout(() => void this.flush(), this.retryDelayMs());
		// A retry alone must not keep the process alive.
		this.timer.unref();
	}

	private retryDelayMs(): number {
		return BATCH_RETRY_DELAYS_MS[Math.min(Math.max(this.failures - 1, 0), BATCH_RETRY_DELAYS_MS.length - 1)];
	}

	private clearTimer(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}
	}
}
