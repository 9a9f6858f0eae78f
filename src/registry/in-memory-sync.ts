import type { RegistrySync } from './registry-sync.js';

/**
 * An in-process stand-in for one pub/sub channel, for tests of the registry's rules.
 * Delivery is synchronous: when publish() resolves, every connected subscriber has handled the message.
 */
export class InMemorySyncChannel {
	private readonly subscribers = new Set<Array<(message: string) => void>>();

	/** A new subscriber-and-publisher on this channel, like one process's Redis connections. */
	connect(): RegistrySync {
		const handlers: Array<(message: string) => void> = [];
		this.subscribers.add(handlers);
		return {
			publish: async (message) => this.publish(message),
			onMessage: (handler) => {
				handlers.push(handler);
			},
			close: async () => {
				this.subscribers.delete(handlers);
			},
		};
	}

	/** Delivers a message to every connected subscriber, as another process publishing on the channel would. */
	publish(message: string): void {
		for (const handlers of [...this.subscribers]) {
			for (const handler of handlers) handler(message);
		}
	}
}
