import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhookEventType } from '../events/catalogue.js';
import type { SecretRotationState } from '../signing/secret-rotation.js';
import { EventTypeSets, eventTypeBit } from './event-type-set.js';
import { recordOf, recordOfCompact, rowOf, secretsOf, type CompactWebhookRow, type WebhookRecord, type WebhookRowInput } from './webhook-record.js';

// Shared by every miss, so a lookup that finds nothing allocates nothing.
const NO_WEBHOOKS: readonly WebhookEntity[] = Object.freeze([]);
const NO_RECORDS: readonly WebhookRecord[] = Object.freeze([]);

/**
 * Active user webhooks indexed by owner id: Misskey's match (`userId === owner && on.includes(type)` over every active
 * webhook) as one map lookup and a bit test over the owner's few webhooks. Each webhook is kept as a compact
 * WebhookRecord (see there); a match hands out the rows rebuilt, in a new frozen list, so a list handed out never
 * changes under its holder. An owner's webhooks stay in indexing order; an update keeps a webhook's place.
 */
export class WebhookIndex {
	private byId = new Map<string, WebhookRecord>();
	// Exact-length arrays, replaced on change: an array grown by push keeps room for many more than an owner has.
	private byOwner = new Map<string, readonly WebhookRecord[]>();
	private eventTypeSets = new EventTypeSets();

	/** Indexes the given rows; inactive ones are skipped, as Misskey loads only `active = true`. */
	constructor(rows: Iterable<WebhookRowInput> = []) {
		this.replaceAll(rows);
	}

	/** Number of indexed webhooks. */
	get size(): number {
		return this.byId.size;
	}

	/** The indexed webhooks of `ownerId` whose `on` contains `type`, in indexing order; a shared frozen empty list when none. */
	match(ownerId: string, type: UserWebhookEventType): readonly WebhookEntity[] {
		const records = this.byOwner.get(ownerId);
		if (!records) return NO_WEBHOOKS;
		const bit = eventTypeBit(type);
		let rows: WebhookEntity[] | null = null;
		for (const record of records) if ((record.types.mask & bit) !== 0) (rows ??= []).push(rowOf(record));
		return rows ? Object.freeze(rows) : NO_WEBHOOKS;
	}

	/** The indexed webhook with this id, as last put. */
	get(id: string): WebhookEntity | undefined {
		const record = this.byId.get(id);
		return record && rowOf(record);
	}

	/** The secrets of the indexed webhook with this id, without rebuilding its row. */
	secretsOf(id: string): SecretRotationState | undefined {
		const record = this.byId.get(id);
		return record && secretsOf(record);
	}

	/** Adds the row, or replaces the one with its id keeping its place among its owner's webhooks. */
	put(row: WebhookRowInput): void {
		let previous = this.byId.get(row.id);
		if (previous && previous.userId !== row.userId) {
			this.remove(row.id);
			previous = undefined;
		}
		const records = this.byOwner.get(row.userId) ?? NO_RECORDS;
		// One copy of the owner id for all of the owner's webhooks.
		const record = recordOf(row, this.eventTypeSets, records[0]?.userId);
		const at = previous ? records.indexOf(previous) : -1;
		this.byOwner.set(record.userId, at === -1 ? [...records, record] : records.map((held, i) => (i === at ? record : held)));
		this.byId.set(record.id, record);
	}

	/** Forgets the webhook with this id; nothing happens when it is not indexed. */
	remove(id: string): void {
		const previous = this.byId.get(id);
		if (!previous) return;
		this.byId.delete(id);
		const records = (this.byOwner.get(previous.userId) ?? NO_RECORDS).filter((record) => record !== previous);
		if (records.length === 0) this.byOwner.delete(previous.userId);
		else this.byOwner.set(previous.userId, records);
	}

	/** Drops everything and indexes the given rows (inactive ones skipped). */
	replaceAll(rows: Iterable<WebhookRowInput>): void {
		const replacement = this.replacement();
		for (const row of rows) replacement.add(row);
		replacement.finish();
	}

	/**
	 * A replacement of the whole index, filled row by row as a load reads them (inactive entities skipped; a compact row
	 * is always an active one); the index keeps answering from what it had until `finish` swaps the new content in.
	 */
	replacement(): { add(row: WebhookRowInput): void; addCompact(row: CompactWebhookRow): void; finish(): void } {
		const byId = new Map<string, WebhookRecord>();
		// Gathered with push and copied to exact length at the end, so each owner's array is made once.
		const byOwner = new Map<string, WebhookRecord[]>();
		const repeated: WebhookRowInput[] = [];
		const eventTypeSets = new EventTypeSets();
		// The owner's list to add a webhook with this id to; null when the id was added already.
		const listFor = (id: string, ownerId: string): WebhookRecord[] | null => {
			if (byId.has(id)) return null;
			let records = byOwner.get(ownerId);
			if (!records) {
				records = [];
				byOwner.set(ownerId, records);
			}
			return records;
		};
		const keep = (records: WebhookRecord[], record: WebhookRecord) => {
			records.push(record);
			byId.set(record.id, record);
		};
		return {
			add: (row) => {
				if (!row.active) return;
				const records = listFor(row.id, row.userId);
				if (records) keep(records, recordOf(row, eventTypeSets, records[0]?.userId));
				else repeated.push(row);
			},
			addCompact: (row) => {
				const records = listFor(row[0], row[1]);
				if (records) keep(records, recordOfCompact(row, eventTypeSets, records[0]?.userId));
				else repeated.push(rowOf(recordOfCompact(row, eventTypeSets)));
			},
			finish: () => {
				for (const [ownerId, records] of byOwner) byOwner.set(ownerId, records.slice());
				this.byId = byId;
				this.byOwner = byOwner;
				this.eventTypeSets = eventTypeSets;
				// The same id twice (not from the table, whose ids are unique): the later row replaces the earlier, as put does.
				for (const row of repeated) this.put(row);
			},
		};
	}
}
