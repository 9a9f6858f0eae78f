import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { WebhookKindName } from '../core/webhook-kind.js';
import { jobOptions, type JobOptionValues } from '../core/webhook-options.js';
import { WebhookDeliveryEntity, type WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { deliveryStats, type DeliveryStats } from './delivery-stats.js';
import { paginateById } from './pagination.js';
import { PreparedStatement } from './prepared-statement.js';

/** What differs between the deliveries of one event: the webhook, its copied URL, secret and options, and a fresh event id. */
export interface NewDelivery extends JobOptionValues {
	id: string;
	webhookId: string;
	userId: string | null;
	eventId: string;
	url: string;
	secret: string;
	previousSecret: string | null;
	previousSecretExpiresAt: Date | null;
	maxAttempts: number;
}

/** What every delivery of one event shares. */
export interface NewDeliveryEvent {
	kind: WebhookKindName;
	/** The Bull prefix of the queue the jobs go to. */
	queuePrefix: string;
	type: string;
	/** The event body, serialized once. */
	bodyText: string;
	createdAt: Date;
}

/** The filters of the delivery list, with Misskey's pagination. */
export interface DeliveryListFilters {
	status?: WebhookDeliveryStatus;
	limit: number;
	sinceId?: string;
	untilId?: string;
}

/** A pending delivery as the reconciler's scan reads it. */
export interface PendingDelivery {
	id: string;
	attempts: number;
	nextAttemptAt: Date | null;
	createdAt: Date;
}

/** Where the reconciler's scan stands: the last row it read, by due time then id. */
export interface PendingScanCursor {
	nextAttemptAt: Date;
	id: string;
}

// The per-row columns of the outbox INSERT, in the order of its unnest arrays; `event` joins a row to its event. The
// options a delivery copies follow, one array each, typed as their column.
const ROW_COLUMNS = [['event', 'integer'], ['id', 'varchar'], ['webhookId', 'varchar'], ['userId', 'varchar'], ['eventId', 'uuid'], ['url', 'varchar'], ['secret', 'varchar'], ['previousSecret', 'varchar'], ['previousSecretExpiresAt', 'timestamptz'], ['maxAttempts', 'integer']] as const;
const OPTION_COLUMNS = jobOptions.map((option) => [option.name, option.column.type] as const);
const EVENT_COLUMNS = [['kind', 'varchar'], ['queuePrefix', 'varchar'], ['type', 'varchar'], ['body', 'text'], ['createdAt', 'timestamptz']] as const;

/**
 * Joins the events' bodies into the one text the outbox INSERT splits again. A body is JSON text, where every control
 * character is escaped, so this one never appears in it: the bodies travel as they are, with none of the quoting a
 * text array would give each of their many quotes (on both sides of the connection).
 */
const BODY_SEPARATOR = '\u0001';

const INSERT_EVENTS_SQL = (() => {
	const rowColumns = [...ROW_COLUMNS, ...OPTION_COLUMNS];
	const quoted = (names: readonly string[], table = '') => names.map((name) => `${table}"${name}"`).join(', ');
	const unnest = (columns: ReadonlyArray<readonly [string, string]>, first: number) => columns
		.map(([name, type], index) => (name === 'body' ? `string_to_array($${first + index}::text, chr(1))` : `$${first + index}::${type}[]`))
		.join(', ');
	const copied = ['webhookId', 'userId', 'eventId', 'url', 'secret', 'previousSecret', 'previousSecretExpiresAt', 'maxAttempts', ...OPTION_COLUMNS.map(([name]) => name)];
	return `INSERT INTO "webhook_delivery" ("id", "webhookKind", "queuePrefix", "type", "body", ${quoted(copied)}, "createdAt", "nextAttemptAt")
		SELECT "r"."id", "e"."kind", "e"."queuePrefix", "e"."type", "e"."body", ${quoted(copied, '"r".')}, "e"."createdAt", "e"."createdAt"
		FROM unnest(${unnest(rowColumns, 1)}) AS "r"(${quoted(rowColumns.map(([name]) => name))})
		JOIN unnest(${unnest(EVENT_COLUMNS, rowColumns.length + 1)}) WITH ORDINALITY AS "e"(${quoted(EVENT_COLUMNS.map(([name]) => name))}, "event") ON "e"."event" = "r"."event"`;
})();

const INSERT_EVENTS = new PreparedStatement<never>('outbox_insert', INSERT_EVENTS_SQL);

/** Queries on `webhook_delivery`, the outbox. */
export class DeliveryStore {
	readonly repository: Repository<WebhookDeliveryEntity>;

	constructor(private readonly dataSource: DataSource) {
		this.repository = dataSource.getRepository(WebhookDeliveryEntity);
	}

	/** Writes the deliveries of one event in one INSERT. */
	insertEvent(event: NewDeliveryEvent, rows: readonly NewDelivery[]): Promise<void> {
		return this.insertEvents([{ event, rows }]);
	}

	/**
	 * Writes the deliveries of several events in ONE INSERT: one array per column, so the statement is
	 * the same text whatever the number of rows, and each event's shared fields (the body above all) travel once, joined
	 * to its rows by position. Each row is pending and due at once. `inTransaction`: a transaction's manager to write in
	 * (the intake relay deletes the events' intake rows in the same transaction).
	 */
	async insertEvents(events: ReadonlyArray<{ event: NewDeliveryEvent; rows: readonly NewDelivery[] }>, inTransaction?: Pick<EntityManager, 'query'>): Promise<void> {
		// Filled column by column in one pass: no per-row array or closure on the hot path.
		const [eventNumber, id, webhookId, userId, eventId, url, secret, previousSecret, previousSecretExpiresAt, maxAttempts] = ROW_COLUMNS.map((): unknown[] => []);
		const options = OPTION_COLUMNS.map((): unknown[] => []);
		for (let index = 0; index < events.length; index++) {
			for (const row of events[index].rows) {
				eventNumber.push(index + 1);
				id.push(row.id);
				webhookId.push(row.webhookId);
				userId.push(row.userId);
				eventId.push(row.eventId);
				url.push(row.url);
				secret.push(row.secret);
				previousSecret.push(row.previousSecret);
				previousSecretExpiresAt.push(row.previousSecretExpiresAt === null ? null : row.previousSecretExpiresAt.toISOString());
				maxAttempts.push(row.maxAttempts);
				for (let option = 0; option < OPTION_COLUMNS.length; option++) options[option].push(row[OPTION_COLUMNS[option][0]]);
			}
		}
		if (eventNumber.length === 0) return;
		const eventColumn = <K extends keyof NewDeliveryEvent>(key: K) => events.map(({ event }) => event[key]);
		const parameters = [
			eventNumber, id, webhookId, userId, eventId, url, secret, previousSecret, previousSecretExpiresAt, maxAttempts, ...options,
			eventColumn('kind'), eventColumn('queuePrefix'), eventColumn('type'), joinedBodies(events), events.map(({ event }) => event.createdAt.toISOString()),
		];
		if (inTransaction) await inTransaction.query(INSERT_EVENTS_SQL, parameters);
		else await INSERT_EVENTS.run(this.dataSource, parameters);
	}

	findById(id: string): Promise<WebhookDeliveryEntity | null> {
		return this.repository.findOneBy({ id });
	}

	/** One webhook's deliveries, newest first (by id), filtered and paginated as Misskey's lists are. */
	async listByWebhook(kind: WebhookKindName, webhookId: string, filters: DeliveryListFilters): Promise<WebhookDeliveryEntity[]> {
		const query = this.repository.createQueryBuilder('delivery')
			.where('delivery.webhookKind = :kind AND delivery.webhookId = :webhookId', { kind, webhookId });
		if (filters.status !== undefined) query.andWhere('delivery.status = :status', { status: filters.status });
		const ascending = paginateById(query, filters);
		const rows = await query.limit(filters.limit).getMany();
		return ascending ? rows.reverse() : rows;
	}

	/** A webhook's delivered, retried and failed attempts over the last 24 hours and 14 days (`deliveries/stats`). */
	stats(kind: WebhookKindName, webhookId: string, now: Date = new Date()): Promise<DeliveryStats> {
		return deliveryStats(this.dataSource, kind, webhookId, now);
	}

	/** The failed deliveries of a webhook created since `since`, oldest first, at most `cap` (recover). */
	async failedIdsSince(kind: WebhookKindName, webhookId: string, since: Date, cap: number): Promise<string[]> {
		const rows: Array<{ id: string }> = await this.dataSource.query(
			`SELECT "id" FROM "webhook_delivery" WHERE "webhookKind" = $1 AND "webhookId" = $2 AND "status" = 'failed' AND "createdAt" >= $3 ORDER BY "id" LIMIT $4`,
			[kind, webhookId, since.toISOString(), cap],
		);
		return rows.map((row) => row.id);
	}

	/** The rows with these ids, in id order. */
	findByIds(ids: readonly string[]): Promise<WebhookDeliveryEntity[]> {
		if (ids.length === 0) return Promise.resolve([]);
		return this.repository.createQueryBuilder('delivery').where('delivery.id IN (:...ids)', { ids: [...ids] }).orderBy('delivery.id', 'ASC').getMany();
	}

	/**
	 * The next `limit` pending deliveries of a kind in one queue after `cursor`, by due time then id (the reconciler's
	 * scan): only what the scan decides on, never the body, since most pending rows have a live job and are not read again.
	 */
	async pendingAfter(kind: WebhookKindName, queuePrefix: string, cursor: PendingScanCursor | null, limit: number): Promise<PendingDelivery[]> {
		const after = cursor ? `AND ("nextAttemptAt", "id") > ($4, $5)` : '';
		const parameters: unknown[] = [queuePrefix, kind, limit];
		if (cursor) parameters.push(cursor.nextAttemptAt.toISOString(), cursor.id);
		return this.dataSource.query(
			`SELECT "id", "attempts", "nextAttemptAt", "createdAt" FROM "webhook_delivery" WHERE "queuePrefix" = $1 AND "webhookKind" = $2 AND "status" = 'pending' ${after} ORDER BY "nextAttemptAt" ASC, "id" ASC LIMIT $3`,
			parameters,
		);
	}

	/** Ends deliveries as failed whose attempts are all spent but whose last record never arrived (the process died). */
	async markFailed(ids: readonly string[], at: Date): Promise<void> {
		if (ids.length === 0) return;
		await this.dataSource.query(
			`UPDATE "webhook_delivery" SET "status" = 'failed', "nextAttemptAt" = NULL, "finishedAt" = $2 WHERE "id" = ANY($1) AND "status" = 'pending'`,
			[[...ids], at.toISOString()],
		);
	}

	/** Deletes up to `limit` finished deliveries of a kind created before `before` (their attempts go by cascade); returns how many. */
	async pruneFinished(kind: WebhookKindName, before: Date, limit: number): Promise<number> {
		const [{ deleted }]: Array<{ deleted: number }> = await this.dataSource.query(
			`WITH "gone" AS (DELETE FROM "webhook_delivery" WHERE "id" IN (SELECT "id" FROM "webhook_delivery" WHERE "createdAt" < $1 AND "webhookKind" = $2 AND "status" <> 'pending' ORDER BY "createdAt" LIMIT $3) RETURNING 1) SELECT count(*)::int AS "deleted" FROM "gone"`,
			[before.toISOString(), kind, limit],
		);
		return deleted;
	}
}

// The bodies as one text for the outbox INSERT (see BODY_SEPARATOR); one that is not JSON text is refused.
function joinedBodies(events: ReadonlyArray<{ event: NewDeliveryEvent }>): string {
	for (const { event } of events) {
		if (event.bodyText === '' || event.bodyText.includes(BODY_SEPARATOR)) throw new TypeError('an outbox body must be JSON text');
	}
	return events.length === 1 ? events[0].event.bodyText : events.map(({ event }) => event.bodyText).join(BODY_SEPARATOR);
}
