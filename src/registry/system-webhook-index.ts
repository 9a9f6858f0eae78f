import type { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';

// Shared by every miss, so a lookup that finds nothing allocates nothing.
const NO_WEBHOOKS: readonly SystemWebhookEntity[] = Object.freeze([]);

/**
 * Active system webhooks indexed by event type: Misskey's match (`on.includes(type)` over every active system webhook,
 * minus `excludes`) as one map lookup. Lists are frozen and replaced on change, like the user index.
 */
export class SystemWebhookIndex {
	private readonly byId = new Map<string, SystemWebhookEntity>();
	private readonly byType = new Map<string, readonly SystemWebhookEntity[]>();

	/** Number of indexed webhooks. */
	get size(): number {
		return this.byId.size;
	}

	/** The indexed webhooks whose `on` contains `type`, in indexing order, without those whose id is in `excludes`. */
	match(type: SystemWebhookEventType, excludes?: ReadonlySet<string>): readonly SystemWebhookEntity[] {
		const list = this.byType.get(type) ?? NO_WEBHOOKS;
		if (!excludes || excludes.size === 0 || list.length === 0) return list;
		return Object.freeze(list.filter((row) => !excludes.has(row.id)));
	}

	/** The indexed webhook with this id, as last put. */
	get(id: string): SystemWebhookEntity | undefined {
		return this.byId.get(id);
	}

	/** Adds the row, or replaces the one with its id keeping its place in the lists of the types it still has. */
	put(row: SystemWebhookEntity): void {
		const previous = this.byId.get(row.id);
		this.byId.set(row.id, row);
		const newTypes = new Set<string>(row.on);
		if (previous) {
			for (const type of new Set<string>(previous.on)) if (!newTypes.has(type)) this.removeFromList(type, row.id);
		}
		for (const type of newTypes) {
			const list = this.byType.get(type) ?? NO_WEBHOOKS;
			const at = list.findIndex((entry) => entry.id === row.id);
			this.byType.set(type, Object.freeze(at === -1 ? [...list, row] : list.map((entry, i) => (i === at ? row : entry))));
		}
	}

	/** Forgets the webhook with this id; nothing happens when it is not indexed. */
	remove(id: string): void {
		const previous = this.byId.get(id);
		if (!previous) return;
		this.byId.delete(id);
		for (const type of new Set<string>(previous.on)) this.removeFromList(type, id);
	}

	/** Drops everything and indexes the given rows; inactive ones are skipped, as Misskey loads only `isActive = true`. */
	replaceAll(rows: Iterable<SystemWebhookEntity>): void {
		this.byId.clear();
		this.byType.clear();
		for (const row of rows) if (row.isActive) this.put(row);
	}

	private removeFromList(type: string, id: string): void {
		const list = this.byType.get(type);
		if (!list) return;
		const next = list.filter((entry) => entry.id !== id);
		if (next.length === 0) this.byType.delete(type);
		else this.byType.set(type, Object.freeze(next));
	}
}
