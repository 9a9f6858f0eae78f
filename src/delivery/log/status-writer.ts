import type { DataSource } from 'typeorm';
import type { WebhookLogger } from '../../core/logger.js';
import type { AttemptRecord, AttemptRecorder } from './attempt-record.js';
import { BATCH_FLUSH_INTERVAL_MS, BATCH_FLUSH_SIZE, BatchWriter, LatestByKeyBuffer } from './batch-writer.js';
import { PreparedStatement } from '../../store/prepared-statement.js';

/** How long an attempt's status may wait before it is written. */
export const STATUS_FLUSH_INTERVAL_MS = BATCH_FLUSH_INTERVAL_MS;
/** Pending webhooks that trigger a write at once; also the most rows one statement carries. */
export const STATUS_FLUSH_BATCH_SIZE = BATCH_FLUSH_SIZE;

/** The tables whose rows carry `latestSentAt` / `latestStatus`: user webhooks and system webhooks. */
export type WebhookStatusTable = 'webhook' | 'system_webhook';

interface PendingStatus {
	webhookId: string;
	sentAt: Date;
	status: number;
}

/**
 * Writes `latestSentAt` / `latestStatus` of the webhook's row for every attempt, in `webhook` unless `table`
 * says `system_webhook`, batched: the latest value per webhook, flushed every ~50 ms or at 500 pending webhooks, as one
 * UPDATE ... FROM unnest(...) statement. Flushes run one after another, so a later attempt never loses to an earlier
 * one. A write PostgreSQL could not take is retried; one it rejects is logged, never thrown.
 */
export class WebhookStatusWriter {
	private readonly writer: BatchWriter<PendingStatus>;
	private readonly table: WebhookStatusTable;

	constructor(input: { dataSource: DataSource; logger: WebhookLogger; table?: WebhookStatusTable }) {
		const table = input.table ?? 'webhook';
		this.table = table;
		this.writer = new BatchWriter<PendingStatus>({
			buffer: new LatestByKeyBuffer((item) => item.webhookId),
			write: async (chunk) => {
				await STATUS_UPDATES[table].run(input.dataSource, [chunk.map((item) => item.webhookId), chunk.map((item) => item.sentAt.toISOString()), chunk.map((item) => item.status)]);
			},
			logger: input.logger,
			label: `${table} status`,
			noun: 'webhook(s)',
		});
	}

	/** Which table this writer updates. */
	get statusTable(): WebhookStatusTable {
		return this.table;
	}

	/** Notes one attempt's time and status (`1` when there was no HTTP response). */
	record(webhookId: string, sentAt: Date, status: number): void {
		this.writer.add({ webhookId, sentAt, status });
	}

	/** Writes everything recorded so far; resolves once it is in the database (or the failure was logged). */
	flush(): Promise<void> {
		return this.writer.flush();
	}

	/** Writes what is pending; nothing is left behind. */
	close(): Promise<void> {
		return this.writer.close();
	}
}

/** The status writer as one of the worker's attempt recorders: each attempt sets its webhook's latest time and status. */
export function statusRecorderOf(writer: WebhookStatusWriter): AttemptRecorder {
	return {
		record: (attempt: AttemptRecord) => writer.record(attempt.webhookId, new Date(attempt.startedAt.getTime() + attempt.durationMs), attempt.outcome.status),
		flush: () => writer.flush(),
		close: () => writer.close(),
	};
}

/** One UPDATE of `table` for any number of webhooks: one array each of ids, times and statuses, so the text never changes. */
function statusUpdateSql(table: WebhookStatusTable): string {
	return `UPDATE "${table}" AS "w" SET "latestSentAt" = "v"."sentAt", "latestStatus" = "v"."status" FROM unnest($1::varchar[], $2::timestamptz[], $3::integer[]) AS "v"("id", "sentAt", "status") WHERE "w"."id" = "v"."id"`;
}

const STATUS_UPDATES: Readonly<Record<WebhookStatusTable, PreparedStatement<never>>> = {
	webhook: new PreparedStatement('status_webhook', statusUpdateSql('webhook')),
	system_webhook: new PreparedStatement('status_system_webhook', statusUpdateSql('system_webhook')),
};
