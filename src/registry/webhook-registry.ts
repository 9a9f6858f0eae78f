import type { WebhookEntity } from '../store/webhook.entity.js';
import type { WebhookStore } from '../store/webhook-store.js';
import type { UserWebhookEventType } from '../events/catalogue.js';
import { WebhookIndex } from './webhook-index.js';
import { RedisRegistrySync } from './redis-sync.js';
import type { RegistrySync } from './registry-sync.js';
import { decodeInternalMessage, encodeWebhookChange, type WebhookChangeEvent, type WebhookInternalEventName } from './internal-event.js';

/**
 * This process's set of active user webhooks, kept in step with every other process through internal events
 * (Misskey `UserWebhookService`: the `activeWebhooks` cache and its `webhookCreated` / `Updated` / `Deleted` handlers, spec §10).
 */
export class WebhookRegistry {
	private readonly index = new WebhookIndex();
	// Changes heard while the initial load runs; applied after it, so none is lost or overwritten by the snapshot.
	private heardWhileLoading: WebhookChangeEvent[] | null = [];

	private constructor(private readonly sync: RegistrySync) {
		sync.onMessage((message) => this.receive(message));
	}

	/** Subscribes to Redis channel `channel` (Misskey: `config.host`) and loads every active webhook from the store. */
	static async start(input: { store: WebhookStore; redisUrl: string; channel: string }): Promise<WebhookRegistry> {
		const sync = await RedisRegistrySync.connect({ redisUrl: input.redisUrl, channel: input.channel });
		try {
			return await WebhookRegistry.startWithSync({ sync, loadActive: () => input.store.listActive() });
		} catch (error) {
			await sync.close();
			throw error;
		}
	}

	/** Starts on any transport: listens first, then loads, so a change published during the load is not missed. */
	static async startWithSync(input: { sync: RegistrySync; loadActive: () => Promise<WebhookEntity[]> }): Promise<WebhookRegistry> {
		const registry = new WebhookRegistry(input.sync);
		const rows = await input.loadActive();
		registry.index.replaceAll(rows);
		const heard = registry.heardWhileLoading ?? [];
		registry.heardWhileLoading = null;
		for (const event of heard) registry.apply(event);
		return registry;
	}

	/** Number of indexed (active) webhooks. */
	get size(): number {
		return this.index.size;
	}

	/** The owner's active webhooks subscribed to `type` (Misskey `getActiveWebhooks` filtered by owner and `on`); a shared frozen empty list when none. */
	match(ownerId: string, type: UserWebhookEventType): readonly WebhookEntity[] {
		return this.index.match(ownerId, type);
	}

	/** Applies a change here at once, then publishes it to every process as Misskey's `publishInternalEvent` does. */
	async announce(name: WebhookInternalEventName, row: WebhookEntity): Promise<void> {
		const event = { name, row };
		this.apply(event);
		await this.sync.publish(encodeWebhookChange(event));
	}

	/** Stops listening and closes the transport's connections. */
	async close(): Promise<void> {
		await this.sync.close();
	}

	private receive(message: string): void {
		const decoded = decodeInternalMessage(message);
		if (decoded.kind === 'ignored') return;
		if (this.heardWhileLoading) this.heardWhileLoading.push(decoded.event);
		else this.apply(decoded.event);
	}

	// Spec §10: created → add if active; updated → active: replace by id (add if missing), inactive: remove; deleted → remove.
	// Each is idempotent, since the publisher hears its own message after applying it.
	private apply({ name, row }: WebhookChangeEvent): void {
		switch (name) {
			case 'webhookCreated':
				if (row.active) this.index.put(row);
				return;
			case 'webhookUpdated':
				if (row.active) this.index.put(row);
				else this.index.remove(row.id);
				return;
			case 'webhookDeleted':
				this.index.remove(row.id);
				return;
		}
	}
}
