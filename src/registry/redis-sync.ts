import { Redis, type RedisOptions } from 'ioredis';
import type { RegistrySync } from './registry-sync.js';
import { defaultWebhookLogger, type WebhookLogger } from '../core/logger.js';

/** The longest wait between two attempts to reach Redis again: the registry's healing bound after an outage ends. */
export const REGISTRY_RECONNECT_MAX_DELAY_MS = 1000;

/**
 * Put on the channel by a process that could not publish a change (Redis was away from its side): every registry
 * that hears it reloads from the database. Shaped as an internal event of a type no one else uses, so Misskey's own
 * listeners on the channel ignore it.
 */
export const REGISTRY_RESYNC_MESSAGE = JSON.stringify({ channel: 'internal', message: { type: 'misskeyWebhooksRegistryResync', body: null } });

/** ioredis options for a connection that must keep trying: quick first retries, then one every second. */
function reconnectingOptions(): RedisOptions {
	return { retryStrategy: (times) => Math.min(times * 100, REGISTRY_RECONNECT_MAX_DELAY_MS) };
}

/**
 * Registry sync over Redis pub/sub: one connection subscribed to the channel, one to publish (a subscribed connection
 * cannot publish). Redis going away never throws at the host: errors are logged, both connections reconnect on their
 * own, and once the subscription is back every `onResync` handler runs, since changes published meanwhile were lost.
 * A change this process could not publish is owed: once the publisher is back it asks every process to resync.
 */
export class RedisRegistrySync implements RegistrySync {
	private readonly handlers: Array<(message: string) => void> = [];
	private readonly resyncHandlers: Array<() => void> = [];
	private closing: Promise<void> | null = null;
	private resyncOwed = false;
	private readonly down = new Set<'subscriber' | 'publisher'>();

	private constructor(
		private readonly channel: string,
		private readonly subscriber: Redis,
		private readonly publisher: Redis,
		private readonly logger: WebhookLogger,
	) {
		subscriber.on('message', (from: string, message: string) => {
			if (from !== channel) return;
			if (message === REGISTRY_RESYNC_MESSAGE) {
				this.resync();
				return;
			}
			for (const handler of this.handlers) handler(message);
		});
		this.watch('subscriber', subscriber, () => this.resubscribeAndResync());
		this.watch('publisher', publisher, () => this.payResyncDebt());
	}

	/** Connects both connections and resolves once the channel subscription is active, so no later publish is missed. */
	static async connect(input: { redisUrl: string; channel: string; logger?: WebhookLogger }): Promise<RedisRegistrySync> {
		const subscriber = new Redis(input.redisUrl, reconnectingOptions());
		// No offline queue: a publish while Redis is away fails at once (and is owed) instead of holding the API call.
		const publisher = new Redis(input.redisUrl, { ...reconnectingOptions(), enableOfflineQueue: false });
		// Until the sync exists, errors reach the caller through the awaited calls below; this keeps them from being unhandled.
		const swallow = () => {};
		subscriber.on('error', swallow);
		publisher.on('error', swallow);
		try {
			await subscriber.subscribe(input.channel);
			if (publisher.status !== 'ready') await new Promise<void>((resolve, reject) => {
				publisher.once('ready', resolve);
				publisher.once('end', () => reject(new Error('the registry publisher could not connect to Redis')));
			});
			subscriber.off('error', swallow);
			publisher.off('error', swallow);
			return new RedisRegistrySync(input.channel, subscriber, publisher, input.logger ?? defaultWebhookLogger());
		} catch (error) {
			subscriber.disconnect();
			publisher.disconnect();
			throw error;
		}
	}

	/** Publishes, or, when Redis cannot be reached now, logs it and owes every process a resync once it can. */
	async publish(message: string): Promise<void> {
		try {
			await this.publisher.publish(this.channel, message);
		} catch (error) {
			if (this.closing) return;
			this.resyncOwed = true;
			this.logger.warn({ error: errorText(error) }, 'registry: a webhook change could not be announced over Redis; every process will reload once Redis is back');
		}
	}

	onMessage(handler: (message: string) => void): void {
		this.handlers.push(handler);
	}

	/** Runs `handler` whenever changes may have been missed: after the subscription came back, or on another process's request. */
	onResync(handler: () => void): void {
		this.resyncHandlers.push(handler);
	}

	/** Unsubscribes and quits both connections; calling it again waits for the first call. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			this.handlers.length = 0;
			this.resyncHandlers.length = 0;
			if (this.subscriber.status !== 'ready' || this.publisher.status !== 'ready') {
				// Redis is away: quitting would wait for it, so drop the connections.
				this.subscriber.disconnect();
				this.publisher.disconnect();
				return;
			}
			await this.subscriber.unsubscribe(this.channel);
			await Promise.all([this.subscriber.quit(), this.publisher.quit()]);
		})();
		return this.closing;
	}

	// Logs the first error of an outage and its end, not every failed reconnect; `onBack` runs on each return.
	private watch(role: 'subscriber' | 'publisher', connection: Redis, onBack: () => void): void {
		const markDown = (why: string) => {
			if (this.closing || this.down.has(role)) return;
			this.down.add(role);
			this.logger.warn({ connection: role, why }, 'registry: lost its Redis connection; reconnecting');
		};
		connection.on('error', (error: unknown) => markDown(`failed (${errorText(error)})`));
		connection.on('close', () => markDown('closed'));
		connection.on('ready', () => {
			if (this.closing || !this.down.delete(role)) return;
			this.logger.info({ connection: role }, 'registry: the Redis connection is back');
			onBack();
		});
	}

	private resubscribeAndResync(): void {
		// ioredis re-subscribes by itself; subscribing again and waiting for it means that, once the reload starts, every
		// later change is heard.
		this.subscriber.subscribe(this.channel).then(() => this.resync(), (error: unknown) => {
			this.logger.warn({ error: errorText(error) }, 'registry: could not subscribe again; reloading anyway');
			this.resync();
		});
	}

	private payResyncDebt(): void {
		if (!this.resyncOwed) return;
		this.resyncOwed = false;
		this.publisher.publish(this.channel, REGISTRY_RESYNC_MESSAGE).catch((error: unknown) => {
			this.resyncOwed = true;
			this.logger.warn({ error: errorText(error) }, 'registry: could not ask the other processes to reload');
		});
	}

	private resync(): void {
		if (this.closing) return;
		for (const handler of this.resyncHandlers) handler();
	}
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
