import type { DataSource, EntityManager } from 'typeorm';
import { generateId } from '../store/id.js';

/** One intake row as the relay reads it. */
export interface IntakeRow {
	id: string;
	event: string;
	payload: string;
	attempts: number;
}

/** A row to try again later, and why. */
export interface IntakeRetry {
	id: string;
	delayMs: number;
	error: string;
}

/** What the intake's SQL runs on: the module's DataSource, a host's transaction, or the relay's. */
export type IntakeQueryable = Pick<EntityManager, 'query'>;

// Long enough for a stack-less reason; the column holds 1024.
const MAX_ERROR_LENGTH = 1000;

/** Queries on `webhook_event_intake`: the one INSERT a host's transaction pays for, and the relay's batch. */
export class IntakeStore {
	constructor(private readonly dataSource: DataSource) {}

	/** Writes one raw event; in `transaction` when given (committed with the host's write), else on its own. */
	async insert(event: string, payloadText: string, transaction?: IntakeQueryable): Promise<void> {
		await (transaction ?? this.dataSource).query(
			`INSERT INTO "webhook_event_intake" ("id", "event", "payload") VALUES ($1, $2, $3)`,
			[generateId(), event, payloadText],
		);
	}

	/**
	 * Locks up to `limit` due rows, oldest first, for the transaction of `manager`; rows another relay holds are skipped,
	 * so no event is handled twice at once.
	 */
	lockDue(manager: IntakeQueryable, limit: number): Promise<IntakeRow[]> {
		return manager.query(
			`SELECT "id", "event", "payload", "attempts" FROM "webhook_event_intake" WHERE "nextAttemptAt" <= now()
			ORDER BY "nextAttemptAt", "id" LIMIT $1 FOR UPDATE SKIP LOCKED`,
			[limit],
		);
	}

	async remove(manager: IntakeQueryable, ids: readonly string[]): Promise<void> {
		if (ids.length > 0) await manager.query(`DELETE FROM "webhook_event_intake" WHERE "id" = ANY($1::varchar[])`, [[...ids]]);
	}

	async postpone(manager: IntakeQueryable, retries: readonly IntakeRetry[]): Promise<void> {
		if (retries.length === 0) return;
		await manager.query(
			`UPDATE "webhook_event_intake" AS "i" SET "attempts" = "i"."attempts" + 1,
				"nextAttemptAt" = now() + "r"."delayMs" * interval '1 millisecond', "lastError" = "r"."error"
			FROM unnest($1::varchar[], $2::integer[], $3::varchar[]) AS "r"("id", "delayMs", "error") WHERE "i"."id" = "r"."id"`,
			[retries.map((retry) => retry.id), retries.map((retry) => Math.round(retry.delayMs)), retries.map((retry) => retry.error.slice(0, MAX_ERROR_LENGTH))],
		);
	}

	/** Rows waiting, and how many of them failed to pack before (for operators and tests). */
	async backlog(): Promise<{ rows: number; retrying: number }> {
		const [row] = await this.dataSource.query(`SELECT count(*)::int AS "rows", count(*) FILTER (WHERE "attempts" > 0)::int AS "retrying" FROM "webhook_event_intake"`);
		return { rows: row.rows, retrying: row.retrying };
	}
}
