import type { DataSource } from 'typeorm';
import type { DeliveryLogger } from './logger.js';

/** How long an attempt's status may wait before it is written. */
export const STATUS_FLUSH_INTERVAL_MS = 50;
/** Pending webhooks that trigger a write at once; also the most rows one statement carries. */
export const STATUS_FLUSH_BATCH_SIZE = 500;

/** The tables whose rows carry `latestSentAt` / `latestStatus`: user webhooks and system webhooks (spec §2.1, §2.2). */
export type WebhookStatusTable = 'webhook' | 'system_webhook';

interface PendingStatus {
	sentAt: Date;
	status: number;
}

/**
 * Writes `latestSentAt` / `latestStatus` of the webhook's row for every attempt (spec §8.3), in `webhook` unless `table`
 * says `system_webhook`, batched: the latest value
 * per webhook, flushed every ~50 ms or at 500 pending webhooks, as one UPDATE ... FROM (VALUES ...) statement.
 * Flushes run one after another, so a later attempt never loses to an earlier one. Failures are logged, not thrown.
 */
export class WebhookStatusWriter {
	private pending = new Map<string, PendingStatus>();
	private timer: NodeJS.Timeout | null = null;
	private lastFlush: Promise<void> = Promise.resolve();
	private queuedFlush: Promise<void> | null = null;

	private readonly table: WebhookStatusTable;

	constructor(private readonly input: { dataSource: DataSource; logger: DeliveryLogger; table?: WebhookStatusTable }) {
		this.table = input.table ?? 'webhook';
	}

	/** Notes one attempt's time and status (`1` when there was no HTTP response). */
	record(webhookId: string, sentAt: Date, status: number): void {
		// Re-inserting keeps the map in attempt order, though only the latest value per webhook matters.
		this.pending.delete(webhookId);
		this.pending.set(webhookId, { sentAt, status });
		if (this.pending.size >= STATUS_FLUSH_BATCH_SIZE) void this.flush();
		else this.timer ??= setTimeout(() => void this.flush(), STATUS_FLUSH_INTERVAL_MS);
	}

	/** Writes everything recorded so far; resolves once it is in the database (or the failure was logged). */
	flush(): Promise<void> {
		// At most one flush runs and one waits behind it: the waiting one picks up whatever arrives meanwhile.
		this.queuedFlush ??= this.lastFlush.then(() => {
			this.queuedFlush = null;
			return this.writePending();
		});
		this.lastFlush = this.queuedFlush;
		return this.queuedFlush;
	}

	/** Writes what is pending; nothing is left behind. */
	async close(): Promise<void> {
		await this.flush();
	}

	private async writePending(): Promise<void> {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		if (this.pending.size === 0) return;
		const rows = [...this.pending];
		this.pending = new Map();
		for (let start = 0; start < rows.length; start += STATUS_FLUSH_BATCH_SIZE) {
			const chunk = rows.slice(start, start + STATUS_FLUSH_BATCH_SIZE);
			try {
				await this.input.dataSource.query(statusUpdateSql(this.table, chunk.length), chunk.flatMap(([id, { sentAt, status }]) => [id, sentAt.toISOString(), status]));
			} catch (error) {
				this.input.logger.warn(`${this.table} status write failed for ${chunk.length} webhook(s): ${describe(error)}`);
			}
		}
	}
}

/** One UPDATE of `table` for `count` webhooks; parameters are (id, sentAt, status) triples. */
function statusUpdateSql(table: WebhookStatusTable, count: number): string {
	const values = Array.from({ length: count }, (_, i) => `($${i * 3 + 1}::varchar, $${i * 3 + 2}::timestamptz, $${i * 3 + 3}::integer)`);
	return `UPDATE "${table}" AS "w" SET "latestSentAt" = "v"."sentAt", "latestStatus" = "v"."status" FROM (VALUES ${values.join(', ')}) AS "v"("id", "sentAt", "status") WHERE "w"."id" = "v"."id"`;
}

function describe(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
