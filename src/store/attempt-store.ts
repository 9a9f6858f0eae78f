import type { DataSource, Repository } from 'typeorm';
import { WebhookDeliveryAttemptEntity, type WebhookDeliveryAttemptTrigger } from './webhook-delivery-attempt.entity.js';
import type { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { PreparedStatement } from './prepared-statement.js';

/** One attempt row as the attempt log writes it. */
export interface NewAttempt {
	id: string;
	deliveryId: string;
	number: number;
	startedAt: Date;
	durationMs: number;
	status: number | null;
	errorClass: string | null;
	reason: string | null;
	responseBody: string | null;
	nextAttemptAt: Date | null;
	trigger: WebhookDeliveryAttemptTrigger;
}

/** What one batch of attempts did to one delivery row: folded from every attempt of it in the batch. */
export interface DeliveryProgress {
	id: string;
	/** Attempts the batch holds for this delivery. */
	added: number;
	/** Start and status (`1` without a response) of the latest of them. */
	lastAttemptAt: Date;
	lastStatus: number;
	/** The status they lead to; null keeps the row's (a manual attempt that failed). */
	status: WebhookDeliveryStatus | null;
	/** Whether a scheduled attempt is among them: only those move `nextAttemptAt`. */
	scheduled: boolean;
	nextAttemptAt: Date | null;
	/** When the delivery ended, if it did. */
	finishedAt: Date | null;
}

const ATTEMPT_COLUMNS = ['id', 'deliveryId', 'number', 'startedAt', 'durationMs', 'status', 'errorClass', 'reason', 'responseBody', 'nextAttemptAt', 'trigger'] as const;
const ATTEMPT_TYPES = ['varchar', 'varchar', 'integer', 'timestamptz', 'integer', 'integer', 'varchar', 'varchar', 'text', 'timestamptz', 'varchar'];
const PROGRESS_COLUMNS = ['id', 'added', 'lastAttemptAt', 'lastStatus', 'status', 'scheduled', 'nextAttemptAt', 'finishedAt'] as const;
const PROGRESS_TYPES = ['varchar', 'integer', 'timestamptz', 'integer', 'varchar', 'boolean', 'timestamptz', 'timestamptz'];
const NO_ORPHANS: ReadonlySet<string> = new Set();

// A batch's row for a delivery counts as newer than the stored state unless an attempt that started later already landed
// (a retry picked up by another process may be written first).
const NEWER = `("d"."lastAttemptAt" IS NULL OR "u"."lastAttemptAt" >= "d"."lastAttemptAt")`;

const quoted = (names: readonly string[], alias?: string) => names.map((name) => (alias ? `"${alias}"."${name}"` : `"${name}"`)).join(', ');
// One array parameter per column, numbered from `first`: the statement is the same text for any batch size.
const unnestOf = (types: readonly string[], first: number) => `unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')})`;

// Moves each delivery row on by its batch's progress; rows the statement cannot see are not touched.
const PROGRESS_UPDATE = `UPDATE "webhook_delivery" AS "d" SET
		"attempts" = "d"."attempts" + "u"."added",
		"lastAttemptAt" = GREATEST("d"."lastAttemptAt", "u"."lastAttemptAt"),
		"lastStatus" = CASE WHEN ${NEWER} THEN "u"."lastStatus" ELSE "d"."lastStatus" END,
		"status" = CASE
			WHEN "d"."status" = 'delivered' OR "u"."status" = 'delivered' THEN 'delivered'
			WHEN "u"."status" IS NOT NULL AND ${NEWER} THEN "u"."status"
			ELSE "d"."status" END,
		"nextAttemptAt" = CASE
			WHEN "u"."status" = 'delivered' AND "d"."status" <> 'delivered' THEN NULL
			WHEN "u"."scheduled" AND ${NEWER} THEN "u"."nextAttemptAt"
			ELSE "d"."nextAttemptAt" END,
		"finishedAt" = CASE
			WHEN "d"."finishedAt" IS NOT NULL THEN "d"."finishedAt"
			WHEN "u"."status" = 'delivered' OR ("u"."status" = 'failed' AND ${NEWER}) THEN "u"."finishedAt"
			ELSE NULL END
	FROM ${unnestOf(PROGRESS_TYPES, ATTEMPT_COLUMNS.length + 1)} AS "u"(${quoted(PROGRESS_COLUMNS)})
	WHERE "d"."id" = "u"."id"`;

const ATTEMPTS_OF_BATCH = `SELECT ${quoted(ATTEMPT_COLUMNS, 'a')} FROM ${unnestOf(ATTEMPT_TYPES, 1)} AS "a"(${quoted(ATTEMPT_COLUMNS)})`;

// Moves on the delivery rows the statement sees, writes the attempts of exactly the rows it moved, and returns the ids of
// the deliveries it did not move (not committed yet: a job is queued while its row's INSERT runs; or pruned). The
// INSERT follows the UPDATE's RETURNING rather than its own look-up or the foreign key: the key is checked against rows
// committed after the statement began, which the UPDATE cannot see, so an attempt would be logged while its row's
// progress was lost. An attempt is written with its progress, or returned, never half of it; and a moved row stays
// locked until the commit, so no prune can take it from under its attempts. (One index look-up per attempt instead of
// three: about a quarter less of PostgreSQL's CPU per attempt, docs/performance.md.)
const BATCH_SQL = `WITH "a" AS (${ATTEMPTS_OF_BATCH}),
	"moved" AS (${PROGRESS_UPDATE} RETURNING "d"."id"),
	"logged" AS (INSERT INTO "webhook_delivery_attempt" (${quoted(ATTEMPT_COLUMNS)}) SELECT * FROM "a" WHERE "a"."deliveryId" IN (SELECT "id" FROM "moved"))
	SELECT DISTINCT "a"."deliveryId" AS "id" FROM "a" WHERE "a"."deliveryId" NOT IN (SELECT "id" FROM "moved")`;

const BATCH = new PreparedStatement<{ id: string }>('attempt_write', BATCH_SQL);

/** Queries on `webhook_delivery_attempt`, the attempt log, and the write that logs a batch of attempts. */
export class AttemptStore {
	readonly repository: Repository<WebhookDeliveryAttemptEntity>;

	constructor(private readonly dataSource: DataSource) {
		this.repository = dataSource.getRepository(WebhookDeliveryAttemptEntity);
	}

	/** A delivery's attempts, first to last. */
	listByDelivery(deliveryId: string): Promise<WebhookDeliveryAttemptEntity[]> {
		return this.repository.find({ where: { deliveryId }, order: { number: 'ASC', id: 'ASC' } });
	}

	/**
	 * Logs a batch of attempts in ONE statement, one array per column: inserts the attempt rows and moves their delivery
	 * rows on (attempts made, last attempt, status, next attempt). Attempts of a delivery whose row the statement cannot
	 * see (not committed yet, or pruned) are not written: their delivery ids are returned. A delivered row stays
	 * delivered; an older batch landing late does not overwrite a newer state.
	 */
	async writeBatch(attempts: readonly NewAttempt[], progress: readonly DeliveryProgress[]): Promise<ReadonlySet<string>> {
		if (attempts.length === 0) return NO_ORPHANS;
		const params = [...columnsOf(attempts, ATTEMPT_COLUMNS), ...columnsOf(progress, PROGRESS_COLUMNS)];
		const missing = await BATCH.run(this.dataSource, params);
		return missing.length === 0 ? NO_ORPHANS : new Set(missing.map((row) => row.id));
	}
}

// One array per column, filled in one pass over the rows (the attempt log's hot path: no array per column and row).
function columnsOf<Row>(rows: readonly Row[], names: ReadonlyArray<keyof Row>): unknown[][] {
	const columns = names.map((): unknown[] => new Array(rows.length));
	for (let r = 0; r < rows.length; r++) {
		const row = rows[r];
		for (let c = 0; c < names.length; c++) {
			const value = row[names[c]];
			columns[c][r] = value instanceof Date ? value.toISOString() : value;
		}
	}
	return columns;
}
