import type { DataSource } from 'typeorm';
import type { AttemptRecord, AttemptRecorder } from './attempt-record.js';
import type { WebhookLogger } from '../../core/logger.js';
import { AttemptStore, type DeliveryProgress, type NewAttempt } from '../../store/attempt-store.js';
import type { WebhookDeliveryStatus } from '../../store/webhook-delivery.entity.js';
import { generateId } from '../../store/id.js';
import { BatchWriter, ListBuffer } from './batch-writer.js';
import { LateAttempts } from './late-attempts.js';

// Column widths of `webhook_delivery_attempt` (migration WebhookDeliveryLog1700000510000).
const REASON_MAX_LENGTH = 512;
const ERROR_CLASS_MAX_LENGTH = 64;

/**
 * The attempt log as an attempt recorder (Svix's attempt log): every attempt of
 * a delivery with an outbox row becomes an attempt row, and moves its delivery row on (attempts, last status, status,
 * next attempt). Batched: every ~50 ms (or 500 attempts) ONE statement writes them all; a write PostgreSQL could not
 * take is kept and retried until it lands. An attempt whose row is not there yet (its job was queued while the row's
 * INSERT ran) is tried again until the row is there, for up to `lateMaxAgeMs`. Attempts of a job without an outbox row
 * (a Misskey-shaped job) are not logged.
 */
export class AttemptLog implements AttemptRecorder {
	private readonly writer: BatchWriter<AttemptRecord>;
	private readonly late: LateAttempts<AttemptRecord>;
	private readonly logger: WebhookLogger;

	constructor(input: { dataSource: DataSource; logger: WebhookLogger; lateMaxAgeMs?: number }) {
		const store = new AttemptStore(input.dataSource);
		this.logger = input.logger;
		this.late = new LateAttempts<AttemptRecord>({
			retry: (attempts) => attempts.forEach((attempt) => this.writer.add(attempt)),
			givenUp: (count) => this.reportGivenUp(count),
			maxAgeMs: input.lateMaxAgeMs,
		});
		this.writer = new BatchWriter<AttemptRecord>({
			buffer: new ListBuffer(),
			write: async (chunk) => {
				const missing = await store.writeBatch(chunk.map(attemptRowOf), progressOf(chunk));
				if (missing.size > 0) this.late.hold(chunk.filter((attempt) => missing.has(attempt.deliveryId ?? '')));
			},
			logger: input.logger,
			label: 'attempt log',
			noun: 'attempt(s)',
		});
	}

	/** Attempts waiting to be written, with those waiting for their delivery row. */
	get pending(): number {
		return this.writer.pending + this.late.size;
	}

	record(attempt: AttemptRecord): void {
		if (attempt.deliveryId === undefined) return;
		this.writer.add(attempt);
	}

	/** Writes every attempt recorded so far; those whose row was missing are tried once more. */
	async flush(): Promise<void> {
		this.late.release();
		await this.writer.flush();
		// A write already running when this flush began may have found rows missing that have committed since.
		if (this.late.size > 0) {
			this.late.release();
			await this.writer.flush();
		}
	}

	async close(): Promise<void> {
		this.late.release();
		await this.writer.close();
		this.reportGivenUp(this.late.drop());
	}

	private reportGivenUp(count: number): void {
		if (count > 0) this.logger.info({ writer: 'attempt log', dropped: count }, 'attempt log: attempt(s) of deliveries whose outbox row never appeared were not logged');
	}
}

/** The attempt row of one record: the HTTP status, or none and the error class; the body prefix as storable text. */
export function attemptRowOf(attempt: AttemptRecord): NewAttempt {
	const { outcome } = attempt;
	return {
		id: generateId(),
		deliveryId: attempt.deliveryId ?? '',
		number: attempt.attemptNumber,
		startedAt: attempt.startedAt,
		durationMs: Math.max(0, Math.round(attempt.durationMs)),
		status: attempt.errorClass === undefined ? outcome.status : null,
		errorClass: attempt.errorClass?.slice(0, ERROR_CLASS_MAX_LENGTH) ?? null,
		reason: outcome.kind === 'delivered' ? null : outcome.reason.slice(0, REASON_MAX_LENGTH),
		// PostgreSQL text cannot hold NUL; a receiver's binary reply keeps its shape with the replacement character.
		responseBody: attempt.errorClass === undefined && !attempt.answerWithheld ? (attempt.responseBodyPrefix ?? '').replaceAll('\u0000', '\uFFFD') : null,
		nextAttemptAt: attempt.nextAttemptAt,
		trigger: attempt.trigger,
	};
}

/** Folds a batch's attempts into one change per delivery row, so one UPDATE touches each row once. */
export function progressOf(attempts: readonly AttemptRecord[]): DeliveryProgress[] {
	const byDelivery = new Map<string, AttemptRecord[]>();
	for (const attempt of attempts) {
		if (attempt.deliveryId === undefined) continue;
		const list = byDelivery.get(attempt.deliveryId) ?? [];
		list.push(attempt);
		byDelivery.set(attempt.deliveryId, list);
	}
	return [...byDelivery].map(([id, list]) => (list.length === 1 ? progressOfOne(id, list[0]) : progressOfMany(id, list)));
}

// The common case, one attempt of the delivery in the batch: the same fold as progressOfMany without its arrays.
function progressOfOne(id: string, attempt: AttemptRecord): DeliveryProgress {
	const status = deliveryStatusAfter(attempt);
	const scheduled = attempt.trigger === 'scheduled';
	return {
		id,
		added: 1,
		lastAttemptAt: attempt.startedAt,
		lastStatus: attempt.outcome.status,
		status,
		scheduled,
		nextAttemptAt: scheduled ? attempt.nextAttemptAt : null,
		finishedAt: status === 'delivered' || status === 'failed' ? new Date(attempt.startedAt.getTime() + attempt.durationMs) : null,
	};
}

function progressOfMany(id: string, list: readonly AttemptRecord[]): DeliveryProgress {
	const ordered = [...list].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
	const latest = ordered[ordered.length - 1];
	const scheduled = ordered.filter((attempt) => attempt.trigger === 'scheduled');
	const statuses = ordered.map(deliveryStatusAfter);
	const status = statuses.includes('delivered') ? 'delivered' : statuses.filter((s) => s !== null).pop() ?? null;
	return {
		id,
		added: ordered.length,
		lastAttemptAt: latest.startedAt,
		lastStatus: latest.outcome.status,
		status,
		scheduled: scheduled.length > 0,
		nextAttemptAt: scheduled.length > 0 ? scheduled[scheduled.length - 1].nextAttemptAt : null,
		finishedAt: status === 'delivered' || status === 'failed' ? new Date(latest.startedAt.getTime() + latest.durationMs) : null,
	};
}

/** Where one attempt leaves its delivery: delivered; failed once its schedule ended; pending before; a failed manual attempt changes nothing. */
function deliveryStatusAfter(attempt: AttemptRecord): WebhookDeliveryStatus | null {
	if (attempt.outcome.kind === 'delivered') return 'delivered';
	if (attempt.trigger === 'manual') return null;
	return attempt.finished ? 'failed' : 'pending';
}
