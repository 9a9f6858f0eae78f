import { Brackets, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { WebhookEntity } from './webhook.entity.js';
import { generateId } from './id.js';
import { forgetModeratorPauses, forgetUserModeratorPauses, rememberModeratorPause, takeOverModeratorPause } from './moderator-pause-records.js';
import { unsetOptionsOf, type WebhookOptionValues } from '../core/webhook-options.js';
import { paginateById } from './pagination.js';

/** The per-webhook options an owner sets; absent ones take the column defaults. */
export type WebhookDeliveryOptions = Partial<WebhookOptionValues<'user'>>;

export interface NewWebhook extends WebhookDeliveryOptions {
	userId: string;
	name: string;
	url: string;
	secret: string;
	/** Event types as the owner gave them; a string the module does not know is kept and matches no event. */
	on: string[];
}

/** What an update may change: Misskey's columns, the delivery options, and the rotated-out secret. */
export type WebhookChanges = Partial<Pick<WebhookEntity, 'name' | 'url' | 'secret' | 'on' | 'active' | 'previousSecret' | 'previousSecretExpiresAt'>>
	& WebhookDeliveryOptions;

/** What an owner's update came to: applied, no such webhook of theirs, or refused because a moderator paused it. */
export type OwnerUpdateOutcome =
	| { kind: 'updated'; row: WebhookEntity }
	| { kind: 'missing' }
	| { kind: 'pausedByModerator' };

/** The filters of `admin/webhooks/list`; `limit` and the id bounds follow Misskey's pagination. */
export interface ModeratorWebhookFilters {
	userId?: string;
	active?: boolean;
	/** Misskey's status logic: failing = a last status other than 200, 201 or 204; not failing = never sent or one of those. */
	failing?: boolean;
	limit: number;
	sinceId?: string;
	untilId?: string;
}

/** The statuses Misskey's webhook lists show as a success; anything else recorded counts as failing. */
export const successfulWebhookStatuses: readonly number[] = [200, 201, 204];

// A pause cleared: the row is back to Misskey's columns alone.
const notPaused = { pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null } as const;

// A new webhook has no rotated-out secret and no failure streak; set here so `create` returns the row as stored.
const noHistory = { previousSecret: null, previousSecretExpiresAt: null, failingSince: null } as const;

// The options whose columns have no default (null is unset): set here, when not given, so `create` returns the row as stored.
const unsetOptions = unsetOptionsOf('user');

// Re-activating an inactive webhook starts its auto-disable record afresh; an update of a webhook that
// is already on keeps its running failure streak. Judged on the row as it was, in the same statement.
const failureStreakOnActivation = { failingSince: () => `CASE WHEN "active" THEN "failingSince" ELSE NULL END` } as const;

/** What `createWithinLimit` came to: the new row (paused when a moderator's pause was remembered for its URL), or the limit. */
export type LimitedCreateOutcome = { kind: 'created'; row: WebhookEntity } | { kind: 'limitReached' };

// Two-key advisory locks: this namespace, then a hash of the owner. Every create of one owner takes the same lock, so
// counting and inserting cannot interleave across connections or processes.
const WEBHOOK_LIMIT_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('misskey-webhooks:webhook-limit'), hashtext($1))`;

/** Queries on the `webhook` table. Lookups by id always include the owner, so a foreign webhook looks missing (Misskey). */
export class WebhookStore {
	readonly repository: Repository<WebhookEntity>;

	constructor(private readonly dataSource: DataSource) {
		this.repository = dataSource.getRepository(WebhookEntity);
	}

	countByUser(userId: string): Promise<number> {
		return this.repository.countBy({ userId });
	}

	/** Inserts a webhook as given, with no limit and no pause record consulted: for fixtures and internal callers. */
	async create(input: NewWebhook): Promise<WebhookEntity> {
		const row = this.repository.create({ id: generateId(), ...unsetOptions, ...input, active: true, latestSentAt: null, latestStatus: null, ...notPaused, ...noHistory });
		await this.repository.insert(row);
		return row;
	}

	/**
	 * The owner's create: inserts only while the owner has fewer than `limit` webhooks, counted and inserted in one
	 * transaction under a per-owner advisory lock, so parallel creates cannot overshoot the limit. When a moderator's
	 * pause is remembered for this owner and URL, the new webhook starts paused with that pause, which it now holds.
	 */
	async createWithinLimit(input: NewWebhook, limit: number): Promise<LimitedCreateOutcome> {
		return this.dataSource.transaction(async (manager) => {
			await manager.query(WEBHOOK_LIMIT_LOCK_SQL, [input.userId]);
			if (await manager.countBy(WebhookEntity, { userId: input.userId }) >= limit) return { kind: 'limitReached' } as const;
			const id = generateId();
			const pause = await takeOverModeratorPause(manager, input.userId, input.url, id);
			const pauseColumns = pause
				? { active: false, pausedBy: 'moderator' as const, pausedReason: pause.reason, pausedAt: pause.pausedAt, pausedByUserId: pause.pausedByUserId }
				: { active: true, ...notPaused };
			const row = manager.create(WebhookEntity, { id, ...unsetOptions, ...input, latestSentAt: null, latestStatus: null, ...pauseColumns, ...noHistory });
			await manager.insert(WebhookEntity, row);
			return { kind: 'created', row } as const;
		});
	}

	listByUser(userId: string): Promise<WebhookEntity[]> {
		return this.repository.findBy({ userId });
	}

	findOwned(id: string, userId: string): Promise<WebhookEntity | null> {
		return this.repository.findOneBy({ id, userId });
	}

	/** Any user's webhook by id alone: only for moderators' endpoints. */
	findById(id: string): Promise<WebhookEntity | null> {
		return this.repository.findOneBy({ id });
	}

	/** Applies a partial update and returns the fresh row (null when the webhook is not the owner's). */
	async update(id: string, userId: string, changes: WebhookChanges): Promise<WebhookEntity | null> {
		if (Object.keys(changes).length > 0) await this.repository.update({ id, userId }, changes);
		return this.findOwned(id, userId);
	}

	/**
	 * The owner's update: `active: true` is refused as a whole while a moderator's pause stands, checked
	 * in the same statement so a pause landing meanwhile is not overwritten; re-activating clears any other pause and the
	 * failure streak (`failingSince`).
	 */
	async updateByOwner(id: string, userId: string, changes: WebhookChanges): Promise<OwnerUpdateOutcome> {
		const activating = changes.active === true;
		if (Object.keys(changes).length > 0) {
			const query = this.repository.createQueryBuilder()
				.update(WebhookEntity)
				.set(activating ? { ...changes, ...notPaused, ...failureStreakOnActivation } : changes)
				.where('"id" = :id AND "userId" = :userId', { id, userId });
			if (activating) query.andWhere(`"pausedBy" IS DISTINCT FROM 'moderator'`);
			const { affected } = await query.execute();
			// Nothing matched: the webhook is not the owner's, or (only when activating) a moderator's pause stands.
			if (affected === 0) return (await this.findOwned(id, userId)) ? { kind: 'pausedByModerator' } : { kind: 'missing' };
		}
		const row = await this.findOwned(id, userId);
		if (!row) return { kind: 'missing' };
		// Moving a paused webhook to another URL does not open a way around the pause: the new URL is remembered too.
		if (changes.url !== undefined && row.pausedBy === 'moderator') await rememberPauseOf(this.repository.manager, row);
		return { kind: 'updated', row };
	}

	/** Pauses any user's webhook as a moderator; returns the fresh row, or null when there is none. */
	async pauseByModerator(id: string, moderatorId: string, reason: string | null, now: Date = new Date()): Promise<WebhookEntity | null> {
		return this.dataSource.transaction(async (manager) => {
			await manager.update(WebhookEntity, { id }, { active: false, pausedBy: 'moderator', pausedReason: reason, pausedAt: now, pausedByUserId: moderatorId });
			const row = await manager.findOneBy(WebhookEntity, { id });
			if (row) await rememberPauseOf(manager, row);
			return row;
		});
	}

	/** Clears whatever pause (and, when it was off, failure streak) a webhook has and re-activates it, as a moderator; the fresh row, or null. */
	async resumeByModerator(id: string): Promise<WebhookEntity | null> {
		return this.dataSource.transaction(async (manager) => {
			await manager.update(WebhookEntity, { id }, { active: true, ...notPaused, ...failureStreakOnActivation });
			await forgetModeratorPauses(manager, id);
			return manager.findOneBy(WebhookEntity, { id });
		});
	}

	/** Every user's webhooks matching the filters, newest first (by id); see `ModeratorWebhookFilters`. */
	async listForModerators(filters: ModeratorWebhookFilters): Promise<WebhookEntity[]> {
		const query = this.repository.createQueryBuilder('webhook');
		if (filters.userId !== undefined) query.andWhere('webhook.userId = :userId', { userId: filters.userId });
		if (filters.active !== undefined) query.andWhere('webhook.active = :active', { active: filters.active });
		if (filters.failing !== undefined) query.andWhere(failingCondition(filters.failing));
		const ascending = paginateById(query, filters);
		const rows = await query.limit(filters.limit).getMany();
		// Misskey hands out the page just above a lone `sinceId` oldest first; we hand out every page newest first.
		return ascending ? rows.reverse() : rows;
	}

	/** Deletes and returns the row as it was, or null when there was none. */
	async delete(id: string, userId: string): Promise<WebhookEntity | null> {
		const row = await this.findOwned(id, userId);
		if (row) await this.repository.delete({ id, userId });
		return row;
	}

	/** Deletes every webhook of a user and returns them, so the registry can forget them (Misskey's FK cascade never told its caches). */
	async deleteByUser(userId: string): Promise<WebhookEntity[]> {
		const rows = await this.listByUser(userId);
		if (rows.length > 0) await this.repository.delete({ userId });
		await forgetUserModeratorPauses(this.repository.manager, userId);
		return rows;
	}

	listActive(): Promise<WebhookEntity[]> {
		return this.repository.findBy({ active: true });
	}

	/**
	 * Hands every active webhook to `visit` as one array of values shaped by `layout`, for the registry's start: no
	 * entity, no Date and no row object, and rows handed over as they arrive rather than gathered first. PostgreSQL
	 * folds the enumerated columns into one integer and the usually-null ones into one JSON text (null on a usual row),
	 * so 100,000 webhooks cost the driver ten fields each rather than every column: docs/registry.md.
	 */
	async forEachActiveCompact<Row extends readonly unknown[]>(layout: CompactReadLayout, visit: (row: Row) => void): Promise<void> {
		const sql = `SELECT ${this.compactColumns(layout)} FROM "${this.repository.metadata.tableName}" WHERE "active" = true`;
		const runner = this.repository.manager.connection.createQueryRunner();
		try {
			// TypeORM's query() gathers every row first; the driver's own Query hands each one over as it is parsed.
			const client = await runner.connect();
			const { Query } = (this.repository.manager.connection.driver as unknown as { postgres: { Query: PgQueryConstructor } }).postgres;
			// Serial, not parallel: PostgreSQL hands rows over faster than they are indexed here, so parallel workers would
			// only have to be launched and then take the cores the indexing needs, and the host's queries their slots (docs/registry.md).
			await client.query(`BEGIN READ ONLY; SET LOCAL max_parallel_workers_per_gather = 0`);
			const read = new Promise<void>((resolve, reject) => {
				const query = client.query(new Query({ text: sql, rowMode: 'array' }));
				query.on('row', (row: Row) => {
					try {
						visit(row);
					} catch (error) {
						reject(error);
					}
				});
				query.on('error', reject);
				query.on('end', () => resolve());
			});
			try {
				await read;
			} catch (error) {
				// Queued behind the read when a visit failed: the pooled connection goes back with no transaction open.
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			}
			await client.query('COMMIT');
		} finally {
			await runner.release();
		}
	}

	// The select list of `forEachActiveCompact`: the fields, the packed integer, the rare object.
	private compactColumns({ fields, packed, rare }: CompactReadLayout): string {
		const value = (property: string) => this.compactValue(property);
		const code = ({ column, values }: CompactPackedColumn) =>
			`CASE ${values.map((known, i) => `WHEN ${value(column)} IS NOT DISTINCT FROM ${sqlLiteral(known)} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
		const packedSql = packed.length === 0 ? '0' : packed.map((column) => `((${code(column)}) << ${column.shift})`).join(' | ');
		const usual = [
			...rare.map((column) => `${value(column)} IS NULL`),
			...packed.map((column) => `(${code(column)}) <> 0`),
		];
		const inObject = [...packed.map(({ column }) => column), ...rare];
		// json_build_object takes at most 100 arguments: a key and a value each.
		if (inObject.length > 50) throw new Error('too many webhook columns for one JSON object');
		const object = `json_build_object(${inObject.map((column) => `${sqlLiteral(column)}, ${value(column)}`).join(', ')})::text`;
		const rareSql = usual.length === 0 ? 'NULL' : `CASE WHEN ${usual.join(' AND ')} THEN NULL ELSE ${object} END`;
		return [...fields.map(value), `(${packedSql})::int4`, rareSql].join(', ');
	}

	// One column as the compact read hands it over: a timestamp as epoch milliseconds, an array as its JSON text.
	private compactValue(property: string): string {
		const column = this.repository.metadata.findColumnWithPropertyName(property);
		if (!column) throw new Error(`the webhook entity has no column ${property}`);
		const name = `"${column.databaseName}"`;
		if (timestampColumns.has(property)) return `FLOOR(EXTRACT(EPOCH FROM ${name}) * 1000)::float8`;
		return column.isArray ? `array_to_json(${name})::text` : name;
	}
}

/**
 * What `forEachActiveCompact` hands over, in this order: each of `fields`; then one integer holding each `packed`
 * column's code (its value's place in `values`, from 1; 0 for any other value) shifted left by its `shift`; then, when
 * any `rare` column is not null or any packed column's code is 0, the JSON text of one object with every packed and
 * rare column by name, else null. Timestamps are epoch milliseconds, arrays their JSON text.
 */
export interface CompactReadLayout {
	readonly fields: readonly (keyof WebhookEntity)[];
	readonly packed: readonly CompactPackedColumn[];
	readonly rare: readonly (keyof WebhookEntity)[];
}

export interface CompactPackedColumn {
	readonly column: keyof WebhookEntity;
	/** null, booleans, strings and finite numbers. */
	readonly values: readonly unknown[];
	readonly shift: number;
}

// A value as SQL: only the layout's own constants (column names and option values) come here, never user data.
function sqlLiteral(value: unknown): string {
	if (value === null) return 'NULL';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
	throw new Error(`no SQL literal for ${String(value)}`);
}

// The part of the pg driver's Query the compact load uses.
type PgQueryConstructor = new (config: { text: string; rowMode: 'array' }) => unknown;

/** The `webhook` columns that hold a timestamp (a test checks this against the entity). */
export const webhookTimestampColumns = ['latestSentAt', 'pausedAt', 'previousSecretExpiresAt', 'failingSince'] as const satisfies readonly (keyof WebhookEntity)[];

const timestampColumns = new Set<string>(webhookTimestampColumns);

// Remembers a moderator-paused webhook's pause under its owner and current URL.
async function rememberPauseOf(manager: EntityManager, row: WebhookEntity): Promise<void> {
	await rememberModeratorPause(manager, {
		userId: row.userId, url: row.url, webhookId: row.id,
		reason: row.pausedReason, pausedAt: row.pausedAt ?? new Date(), pausedByUserId: row.pausedByUserId,
	});
}

function failingCondition(failing: boolean): Brackets {
	return new Brackets((where) => {
		if (failing) {
			where.where('webhook.latestStatus IS NOT NULL').andWhere('webhook.latestStatus NOT IN (:...successful)', { successful: successfulWebhookStatuses });
		} else {
			where.where('webhook.latestStatus IS NULL').orWhere('webhook.latestStatus IN (:...successful)', { successful: successfulWebhookStatuses });
		}
	});
}
