import type { WebhookEntity } from '../store/webhook.entity.js';
import { compactReadLayout, type CompactWebhookRow, type WebhookRowInput } from './webhook-record.js';
import type { WebhookStore } from '../store/webhook-store.js';
import type { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { SystemWebhookStore } from '../store/system-webhook-store.js';
import type { SystemWebhookEventType, UserWebhookEventType } from '../events/catalogue.js';
import { WebhookIndex } from './webhook-index.js';
import { SystemWebhookIndex } from './system-webhook-index.js';
import { RedisRegistrySync } from './redis-sync.js';
import type { RegistrySync } from './registry-sync.js';
import type { CurrentSecretsLookup } from '../delivery/job/current-secrets.js';
import type { WebhookKindName } from '../core/webhook-kind.js';
import type { SecretRotationState } from '../signing/secret-rotation.js';
import { defaultWebhookLogger, type WebhookLogger } from '../core/logger.js';
import {
	decodeInternalMessage,
	encodeWebhookChange,
	type DecodedInternalMessage,
	type SystemWebhookInternalEventName,
	type WebhookInternalEventName,
} from './internal-event.js';

/** A change to either index, as decoded from the channel. */
type ChangeEvent = Exclude<DecodedInternalMessage, { kind: 'ignored' }>;

/** Where the registry reads every active webhook from: at start, and again whenever the transport says it missed changes. */
interface RegistryLoaders {
	/** Hands the active webhooks to `visit` as compact rows as it reads them, or resolves with them as entities (or both). */
	loadActive: (visit: (row: CompactWebhookRow) => void) => Promise<Iterable<WebhookRowInput> | void>;
	loadActiveSystem?: () => Promise<SystemWebhookEntity[]>;
}

/** How long a failed reload (the database unreachable) waits before the next try. */
export const REGISTRY_RELOAD_RETRY_MS = 1000;

/**
 * This process's set of active user and system webhooks, kept in step with every other process through internal events
 * (Misskey `UserWebhookService` / `SystemWebhookService`: the `activeWebhooks` / `activeSystemWebhooks` caches and their
 * `webhookCreated` / `Updated` / `Deleted` and `systemWebhookCreated` / `Updated` / `Deleted` handlers).
 */
export class WebhookRegistry implements CurrentSecretsLookup {
	private readonly index = new WebhookIndex();
	private readonly systemIndex = new SystemWebhookIndex();
	// Changes heard while the initial load runs; applied after it, so none is lost or overwritten by the snapshot.
	private heardWhileLoading: ChangeEvent[] | null = [];
	// The reload under way, and whether another was asked for meanwhile (one more then runs after it).
	private reloading: Promise<void> | null = null;
	private reloadAgain = false;
	private closed = false;
	private retryTimer: NodeJS.Timeout | null = null;

	private constructor(
		private readonly sync: RegistrySync,
		private readonly loaders: RegistryLoaders,
		private readonly logger: WebhookLogger,
	) {
		sync.onMessage((message) => this.receive(message));
		sync.onResync?.(() => {
			void this.reload();
		});
	}

	/**
	 * Subscribes to Redis channel `channel` (Misskey: `config.host`) and loads every active webhook from the store, and
	 * every active system webhook from `systemStore` when given (without it, system webhooks are learnt only from events).
	 */
	static async start(input: { store: WebhookStore; systemStore?: SystemWebhookStore; redisUrl: string; channel: string; logger?: WebhookLogger }): Promise<WebhookRegistry> {
		const sync = await RedisRegistrySync.connect({ redisUrl: input.redisUrl, channel: input.channel, logger: input.logger });
		const systemStore = input.systemStore;
		try {
			return await WebhookRegistry.startWithSync({
				sync,
				logger: input.logger,
				loadActive: (visit) => input.store.forEachActiveCompact(compactReadLayout, visit),
				...(systemStore ? { loadActiveSystem: () => systemStore.listActive() } : {}),
			});
		} catch (error) {
			await sync.close();
			throw error;
		}
	}

	/** Starts on any transport: listens first, then loads, so a change published during the load is not missed. */
	static async startWithSync(input: RegistryLoaders & { sync: RegistrySync; logger?: WebhookLogger }): Promise<WebhookRegistry> {
		const registry = new WebhookRegistry(input.sync, input, input.logger ?? defaultWebhookLogger());
		await registry.loadOnce();
		return registry;
	}

	/**
	 * Reads every active webhook again and replaces both indexes, keeping changes heard during the read (the same
	 * listen-then-load as at start). Runs when the transport may have missed changes (Redis came back); a failed read is
	 * logged and tried again every `REGISTRY_RELOAD_RETRY_MS` until it succeeds. Never rejects.
	 */
	reload(): Promise<void> {
		if (this.closed) return Promise.resolve();
		if (this.reloading) {
			this.reloadAgain = true;
			return this.reloading;
		}
		this.reloading = (async () => {
			do {
				this.reloadAgain = false;
				try {
					this.heardWhileLoading ??= [];
					await this.loadOnce();
				} catch (error) {
					// The indexes were not replaced: what was heard meanwhile still applies to them.
					const heard = this.heardWhileLoading ?? [];
					this.heardWhileLoading = null;
					for (const event of heard) this.apply(event);
					this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'registry: reloading the active webhooks failed; trying again');
					this.scheduleRetry();
				}
			} while (this.reloadAgain && !this.closed);
			this.reloading = null;
		})();
		return this.reloading;
	}

	/** Number of indexed (active) webhooks. */
	get size(): number {
		return this.index.size;
	}

	/** Number of indexed (active) system webhooks. */
	get systemSize(): number {
		return this.systemIndex.size;
	}

	/** The owner's active webhooks subscribed to `type` (Misskey `getActiveWebhooks` filtered by owner and `on`); a shared frozen empty list when none. */
	match(ownerId: string, type: UserWebhookEventType): readonly WebhookEntity[] {
		return this.index.match(ownerId, type);
	}

	/**
	 * The secrets of an active webhook as this process last heard them (retries sign with the secrets in
	 * force at send time); `undefined` when the webhook is not active here.
	 */
	currentSecretsOf(kind: WebhookKindName, webhookId: string): SecretRotationState | undefined {
		if (kind === 'user') return this.index.secretsOf(webhookId);
		const row = this.systemIndex.get(webhookId);
		return row && { secret: row.secret, previousSecret: row.previousSecret, previousSecretExpiresAt: row.previousSecretExpiresAt };
	}

	/** Applies a change here at once, then publishes it to every process as Misskey's `publishInternalEvent` does. */
	async announce(name: WebhookInternalEventName, row: WebhookEntity): Promise<void> {
		const event = { name, row };
		this.applyOwn({ kind: 'webhook-change', event });
		await this.sync.publish(encodeWebhookChange(event));
	}

	/**
	 * The active system webhooks subscribed to `type`, minus the ids in `excludes` (Misskey `SystemWebhookService`'s
	 * match); a shared frozen empty list when none.
	 */
	matchSystem(type: SystemWebhookEventType, excludes?: ReadonlySet<string>): readonly SystemWebhookEntity[] {
		return this.systemIndex.match(type, excludes);
	}

	/** `announce` for a system webhook change (`systemWebhookCreated` / `Updated` / `Deleted`). */
	async announceSystem(name: SystemWebhookInternalEventName, row: SystemWebhookEntity): Promise<void> {
		const event = { name, row };
		this.applyOwn({ kind: 'system-webhook-change', event });
		await this.sync.publish(encodeWebhookChange(event));
	}

	/** Stops listening and closes the transport's connections. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		await this.sync.close();
	}

	// One listen-then-load pass: the snapshot replaces both indexes, then what was heard meanwhile is applied on top.
	private async loadOnce(): Promise<void> {
		// Rows go into a replacement index as they arrive; it takes the current one's place once the load is complete.
		const replacement = this.index.replacement();
		const [rows, systemRows] = await Promise.all([this.loaders.loadActive(replacement.addCompact), this.loaders.loadActiveSystem?.() ?? []]);
		for (const row of rows ?? []) replacement.add(row);
		replacement.finish();
		this.systemIndex.replaceAll(systemRows);
		const heard = this.heardWhileLoading ?? [];
		this.heardWhileLoading = null;
		for (const event of heard) this.apply(event);
	}

	private scheduleRetry(): void {
		if (this.closed || this.retryTimer) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			void this.reload();
		}, REGISTRY_RELOAD_RETRY_MS);
		this.retryTimer.unref();
	}

	// This process's own change: applied now, and, during a reload, kept to be applied again over the snapshot, which
	// may have been read before the change was written.
	private applyOwn(change: ChangeEvent): void {
		this.apply(change);
		this.heardWhileLoading?.push(change);
	}

	private receive(message: string): void {
		const decoded = decodeInternalMessage(message);
		if (decoded.kind === 'ignored') return;
		if (this.heardWhileLoading) this.heardWhileLoading.push(decoded);
		else this.apply(decoded);
	}

	private apply(change: ChangeEvent): void {
		const action = changeActions[change.event.name];
		if (change.kind === 'webhook-change') applyChange(this.index, action, change.event.row, change.event.row.active);
		else applyChange(this.systemIndex, action, change.event.row, change.event.row.isActive);
	}
}

type ChangeAction = 'created' | 'updated' | 'deleted';

const changeActions: Record<WebhookInternalEventName | SystemWebhookInternalEventName, ChangeAction> = {
	webhookCreated: 'created',
	webhookUpdated: 'updated',
	webhookDeleted: 'deleted',
	systemWebhookCreated: 'created',
	systemWebhookUpdated: 'updated',
	systemWebhookDeleted: 'deleted',
};

// Misskey's rules, the same for both kinds (`active` on user webhooks, `isActive` on system ones): created → add if
// active; updated → active: replace by id (add if missing), inactive: remove; deleted → remove. Each is idempotent,
// since the publisher hears its own message after applying it.
function applyChange<Row extends { id: string }>(index: { put(row: Row): void; remove(id: string): void }, action: ChangeAction, row: Row, active: boolean): void {
	switch (action) {
		case 'created':
			if (active) index.put(row);
			return;
		case 'updated':
			if (active) index.put(row);
			else index.remove(row.id);
			return;
		case 'deleted':
			index.remove(row.id);
			return;
	}
}
