import type { DataSource } from 'typeorm';
import type { AttemptRecord, AttemptRecorder } from '../log/attempt-record.js';
import type { WebhookLogger } from '../../core/logger.js';
import { BatchWriter, KeyedBuffer } from '../log/batch-writer.js';
import { describeError } from '../../core/database-error.js';
import { autoDisableCutoff, failureStreakChangeOf, pauseCandidateOf, type AutomaticPauseCause } from './auto-disable-rule.js';
import { pauseUpdate, streakUpdate, type PausableTable, type PauseRow, type StreakRow } from './auto-disable-sql.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';

/** One webhook the recorder just paused. */
export interface AutomaticPause {
	id: string;
	cause: AutomaticPauseCause;
	reason: string;
}

/**
 * One kind of webhook as auto-disable sees it: its table, and what must follow a pause (announce it to every process's
 * registry; for user webhooks also tell the owner and the moderators). `afterPause` gets the webhooks paused by one
 * statement; it reports its own failures and never throws (the pause itself is in the database by then).
 */
export interface AutoDisableTarget extends PausableTable {
	kind: WebhookKindName;
	afterPause(paused: readonly AutomaticPause[]): Promise<void>;
}

/** What the recorder needs; `now` is the clock that judges the window and stamps `pausedAt` (tests inject it). */
export interface AutoDisableRecorderInput {
	dataSource: DataSource;
	target: AutoDisableTarget;
	/** The failure window (option `autoDisableAfterMs`). */
	autoDisableAfterMs: number;
	logger: WebhookLogger;
	now?: () => number;
}

/** What a batch holds for one webhook: the net change to its streak, and the strongest pause asked for. */
interface PendingChange {
	id: string;
	streak: StreakRow;
	pause: PauseRow | null;
}

/**
 * Auto-disable as an attempt recorder (Svix):
 * a failed attempt starts the webhook's streak (`failingSince`) unless one runs, a delivered one clears it; a 410 Gone
 * pauses the webhook at once (`pausedBy: 'gone'`); a delivery that ends undelivered pauses it (`pausedBy: 'auto'`) when
 * its streak is at least the window old. Only a webhook still switched on is paused, so a moderator's or owner's pause
 * stands. Writes are batched like the status writer's: per flush one statement for the streaks, then, only when some
 * delivery ended undelivered, one for the pauses. The same rule serves both kinds; the target says which table and who
 * hears of a pause.
 */
export class AutoDisableRecorder implements AttemptRecorder {
	private readonly writer: BatchWriter<PendingChange>;
	private readonly now: () => number;

	constructor(private readonly input: AutoDisableRecorderInput) {
		this.now = input.now ?? Date.now;
		this.writer = new BatchWriter<PendingChange>({
			buffer: new PendingChangeBuffer(),
			write: (chunk) => this.write(chunk),
			logger: input.logger,
			label: `${input.target.table} auto-disable`,
			noun: 'webhook(s)',
		});
	}

	/** Notes one finished attempt; attempts of the other kind are not this recorder's. */
	record(attempt: AttemptRecord): void {
		if (attempt.kind !== this.input.target.kind) return;
		const change = failureStreakChangeOf(attempt);
		const streak = change.kind === 'clear'
			? { id: attempt.webhookId, reset: true, since: null }
			: { id: attempt.webhookId, reset: false, since: change.at };
		const candidate = pauseCandidateOf(attempt, this.input.autoDisableAfterMs);
		const pause = candidate && { id: attempt.webhookId, ...candidate, at: new Date(this.now()) };
		this.writer.add({ id: attempt.webhookId, streak, pause });
	}

	/** Writes everything recorded so far and announces the pauses it made. */
	flush(): Promise<void> {
		return this.writer.flush();
	}

	/** Writes what is pending; nothing is left behind while the database takes it. */
	close(): Promise<void> {
		return this.writer.close();
	}

	// Streaks first: a delivery's pause judges the streak that its own failure may just have started. A database error
	// is thrown to the writer, which retries the chunk when it is transient (both statements are safe to repeat).
	private async write(chunk: readonly PendingChange[]): Promise<void> {
		const streak = streakUpdate(this.input.target, chunk.map((change) => change.streak));
		await this.input.dataSource.query(streak.sql, streak.parameters);
		const pauses = chunk.flatMap((change) => (change.pause ? [change.pause] : []));
		if (pauses.length === 0) return;
		const pause = pauseUpdate(this.input.target, pauses, autoDisableCutoff(this.now(), this.input.autoDisableAfterMs));
		const [paused] = await this.input.dataSource.query(pause.sql, pause.parameters) as [AutomaticPause[], number];
		if (paused.length === 0) return;
		try {
			await this.input.target.afterPause(paused);
		} catch (error) {
			this.input.logger.warn({ kind: this.input.target.kind, paused: paused.length, error: describeError(error) }, 'auto-disable: announcing paused webhooks failed');
		}
	}
}

/** The latest net change per webhook; merging keeps the order of attempts (a failure after a success starts afresh). */
class PendingChangeBuffer extends KeyedBuffer<PendingChange> {
	add(change: PendingChange): void {
		const earlier = this.items.get(change.id);
		this.items.set(change.id, earlier ? merged(earlier, change) : change);
	}

	restore(changes: readonly PendingChange[]): void {
		const restored = new Map<string, PendingChange>();
		for (const change of changes) {
			const newer = this.items.get(change.id);
			restored.set(change.id, newer ? merged(change, newer) : change);
		}
		for (const [id, change] of this.items) if (!restored.has(id)) restored.set(id, change);
		this.items = restored;
	}
}

function merged(earlier: PendingChange, later: PendingChange): PendingChange {
	return { id: later.id, streak: laterStreak(earlier.streak, later.streak), pause: strongerPause(earlier.pause, later.pause) };
}

/**
 * The net effect of `earlier` then `later` on one streak: a reset in `later` wins; otherwise `later` only starts a
 * streak where `earlier` left none, keeping the earliest failure time.
 */
function laterStreak(earlier: StreakRow, later: StreakRow): StreakRow {
	if (later.reset) return later;
	if (earlier.since === null) return { id: later.id, reset: earlier.reset, since: later.since };
	const since = later.since !== null && later.since < earlier.since ? later.since : earlier.since;
	return { id: later.id, reset: earlier.reset, since };
}

// A 410 is the stronger word: it pauses whatever the window says, so it is kept over a later auto candidate.
function strongerPause(earlier: PauseRow | null, later: PauseRow | null): PauseRow | null {
	if (!later) return earlier;
	if (earlier?.cause === 'gone' && later.cause !== 'gone') return earlier;
	return later;
}
