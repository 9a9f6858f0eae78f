import type { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhookEventType } from '../events/catalogue.js';

// Shared by every miss, so a lookup that finds nothing allocates nothing.
const NO_WEBHOOKS: readonly WebhookEntity[] = Object.freeze([]);

type ListsByType = Map<string, readonly WebhookEntity[]>;

/**
 * Active user webhooks indexed by owner id, then event type: Misskey's match
 * (`userId === owner && on.includes(type)` over every active webhook, spec §10) as two map lookups.
 * Lists are frozen and replaced on change (copy on write), so a list handed out never changes under its holder.
 */
export class WebhookIndex {
	private readonly byId = new Map<string, WebhookEntity>();
	private readonly byOwner = new Map<string, ListsByType>();

	/** Indexes the given rows; inactive ones are skipped, as Misskey loads only `active = true`. */
	constructor(rows: Iterable<WebhookEntity> = []) {
		for (const row of rows) if (row.active) this.put(row);
	}

	/** Number of indexed webhooks. */
	get size(): number {
		return this.byId.size;
	}

	/** The indexed webhooks of `ownerId` whose `on` contains `type`, in indexing order; a shared frozen empty list when none. */
	match(ownerId: string, type: UserWebhookEventType): readonly WebhookEntity[] {
		return this.byOwner.get(ownerId)?.get(type) ?? NO_WEBHOOKS;
	}

	/** The indexed webhook with this id, as last put. */
	get(id: string): WebhookEntity | undefined {
		return this.byId.get(id);
	}

	/** Adds the row, or replaces the one with its id keeping its place in the lists of the types it still has. */
	put(row: WebhookEntity): void {
		const previous = this.byId.get(row.id);
		if (previous && previous.userId !== row.userId) {
			this.remove(row.id);
			this.put(row);
			return;
		}
		this.byId.set(row.id, row);
		let lists = this.byOwner.get(row.userId);
		if (!lists) {
			lists = new Map();
			this.byOwner.set(row.userId, lists);
		}
		const newTypes = new Set<string>(row.on);
		if (previous) {
			for (const type of new Set<string>(previous.on)) {
				if (!newTypes.has(type)) removeFromList(lists, type, row.id);
			}
		}
		for (const type of newTypes) {
			const list = lists.get(type) ?? NO_WEBHOOKS;
			const at = list.findIndex((entry) => entry.id === row.id);
			const next = at === -1 ? [...list, row] : list.map((entry, i) => (i === at ? row : entry));
			lists.set(type, Object.freeze(next));
		}
		if (lists.size === 0) this.byOwner.delete(row.userId);
	}

	/** Forgets the webhook with this id; nothing happens when it is not indexed. */
	remove(id: string): void {
		const previous = this.byId.get(id);
		if (!previous) return;
		this.byId.delete(id);
		const lists = this.byOwner.get(previous.userId);
		if (!lists) return;
		for (const type of new Set<string>(previous.on)) removeFromList(lists, type, id);
		if (lists.size === 0) this.byOwner.delete(previous.userId);
	}

	/** Drops everything and indexes the given rows (inactive ones skipped). */
	replaceAll(rows: Iterable<WebhookEntity>): void {
		this.byId.clear();
		this.byOwner.clear();
		for (const row of rows) if (row.active) this.put(row);
	}
}

function removeFromList(lists: ListsByType, type: string, id: string): void {
	const list = lists.get(type);
	if (!list) return;
	const next = list.filter((entry) => entry.id !== id);
	if (next.length === 0) lists.delete(type);
	else lists.set(type, Object.freeze(next));
}
