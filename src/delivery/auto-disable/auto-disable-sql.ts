import type { AutomaticPauseCause } from './auto-disable-rule.js';

/** The webhook tables and the column that says a row is switched on: `webhook.active`, `system_webhook.isActive`. */
export interface PausableTable {
	table: 'webhook' | 'system_webhook';
	activeColumn: 'active' | 'isActive';
}

/**
 * One webhook's net streak change in a batch: `reset` replaces `failingSince` with `since` (a success, possibly followed
 * by failures); otherwise `since` only starts a streak where none runs.
 */
export interface StreakRow {
	id: string;
	reset: boolean;
	since: Date | null;
}

/** One pause to attempt in a batch. */
export interface PauseRow {
	id: string;
	cause: AutomaticPauseCause;
	reason: string;
	at: Date;
}

/** A SQL statement with its positional parameters. */
export interface Statement {
	sql: string;
	parameters: unknown[];
}

/**
 * One UPDATE for every streak change of a batch (never one round trip per attempt). Rows whose
 * `failingSince` would not change are left untouched, so the common all-delivered batch writes nothing.
 */
export function streakUpdate({ table }: PausableTable, rows: readonly StreakRow[]): Statement {
	const values = rows.map((_, i) => `($${i * 3 + 1}::varchar, $${i * 3 + 2}::boolean, $${i * 3 + 3}::timestamptz)`);
	const next = `CASE WHEN "v"."reset" THEN "v"."since" ELSE COALESCE("w"."failingSince", "v"."since") END`;
	return {
		sql: `UPDATE "${table}" AS "w" SET "failingSince" = ${next} FROM (VALUES ${values.join(', ')}) AS "v"("id", "reset", "since") `
			+ `WHERE "w"."id" = "v"."id" AND "w"."failingSince" IS DISTINCT FROM ${next}`,
		parameters: rows.flatMap((row) => [row.id, row.reset, row.since?.toISOString() ?? null]),
	};
}

/**
 * One UPDATE that pauses every webhook of a batch that is due: only a row still switched on (a
 * moderator's or owner's pause is never overwritten), and for `auto` only one whose streak began at or before `cutoff`.
 * The window is judged in the statement itself, so a success written meanwhile by another process wins. Returns the
 * ids it paused with their cause and reason.
 */
export function pauseUpdate({ table, activeColumn }: PausableTable, rows: readonly PauseRow[], cutoff: Date): Statement {
	const values = rows.map((_, i) => `($${i * 4 + 2}::varchar, $${i * 4 + 3}::varchar, $${i * 4 + 4}::varchar, $${i * 4 + 5}::timestamptz)`);
	return {
		sql: `UPDATE "${table}" AS "w" SET "${activeColumn}" = false, "pausedBy" = "v"."cause", "pausedReason" = "v"."reason", "pausedAt" = "v"."at" `
			+ `FROM (VALUES ${values.join(', ')}) AS "v"("id", "cause", "reason", "at") `
			+ `WHERE "w"."id" = "v"."id" AND "w"."${activeColumn}" = true `
			+ `AND ("v"."cause" = 'gone' OR "w"."failingSince" <= $1::timestamptz) `
			+ `RETURNING "w"."id" AS "id", "v"."cause" AS "cause", "v"."reason" AS "reason"`,
		parameters: [cutoff.toISOString(), ...rows.flatMap((row) => [row.id, row.cause, row.reason, row.at.toISOString()])],
	};
}
