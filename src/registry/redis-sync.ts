import { Redis } from 'ioredis';
import type { RegistrySync } from './registry-sync.js';

/** Registry sync over Redis pub/sub: one connection subscribed to the channel, one to publish (a subscribed connection cannot publish). */
export class RedisRegistrySync implements RegistrySync {
	private readonly handlers: Array<(message: string) => void> = [];
	private closing: Promise<void> | null = null;

	private constructor(
		private readonly channel: string,
		private readonly subscriber: Redis,
		private readonly publisher: Redis,
	) {
		subscriber.on('message', (from: string, message: string) => {
			if (from !== channel) return;
			for (const handler of this.handlers) handler(message);
		});
	}

	/** Connects both connections and resolves once the channel subscription is active, so no later publish is missed. */
	static async connect(input: { redisUrl: string; channel: string }): Promise<RedisRegistrySync> {
		const subscriber = new Redis(input.redisUrl);
		const publisher = new Redis(input.redisUrl);
		try {
			await subscriber.subscribe(input.channel);
			return new RedisRegistrySync(input.channel, subscriber, publisher);
		} catch (error) {
			subscriber.disconnect();
			publisher.disconnect();
			throw error;
		}
	}

	async publish(message: string): Promise<void> {
		await this.publisher.publish(this.channel, message);
	}

	onMessage(handler: (message: string) => void): void {
		this.handlers.push(handler);
	}

	/** Unsubscribes and quits both connections; calling it again waits for the first call. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			this.handlers.length = 0;
			await this.subscriber.unsubscribe(this.channel);
			await Promise.all([this.subscriber.quit(), this.publisher.quit()]);
		})();
		return this.closing;
	}
}
