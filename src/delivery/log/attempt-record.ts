import type { DeliveryOutcome } from '../retry/outcome.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';

/** One finished delivery attempt, as the worker hands it to every recorder (status, attempt log, auto-disable). */
export interface AttemptRecord {
	kind: WebhookKindName;
	webhookId: string;
	/** The event type (`note`, `abuseReport`, ...). */
	eventType: string;
	/** The payload format the job was sent in; `misskey` for a job that names none. */
	format: string;
	/** The receiver's host (and port): never the path or query, which may carry a token. */
	targetHost: string;
	/** The outbox row; absent for a job without one (a Misskey-shaped job). */
	deliveryId?: string;
	eventId: string;
	/** 1 for the first attempt. */
	attemptNumber: number;
	attemptsAllowed: number;
	startedAt: Date;
	durationMs: number;
	outcome: DeliveryOutcome;
	/** Why there was no HTTP response (`timeout`, `ECONNREFUSED`, `blocked-address`, ...); absent when there was one. */
	errorClass?: string;
	/** The first bytes of the response body (at most 2 KB), when there was a response. */
	responseBodyPrefix?: string;
	/** The receiver is on an allowlisted private address: its answer is not kept, only status and timing. */
	answerWithheld?: true;
	/** When the next attempt is due; null when this was the last one. */
	nextAttemptAt: Date | null;
	/** true when no further attempt will follow: delivered, final, disable, or retries exhausted. */
	finished: boolean;
	trigger: 'scheduled' | 'manual';
}

/** Something that learns of every attempt; writes are expected to be batched, never one round trip per attempt. */
export interface AttemptRecorder {
	record(attempt: AttemptRecord): void;
	flush(): Promise<void>;
	close(): Promise<void>;
}
