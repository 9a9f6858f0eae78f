/**
 * The transport that carries internal events between processes (Misskey: Redis pub/sub on the `config.host` channel).
 * Messages are the raw published strings: every subscriber, the publisher included, receives every message on the channel.
 */
export interface RegistrySync {
	/** Publishes one message to every subscriber of the channel. */
	publish(message: string): Promise<void>;
	/** Registers the handler that receives each message published on the channel. */
	onMessage(handler: (message: string) => void): void;
	/**
	 * Optional: registers what to run when messages may have been lost (the transport reconnected), so the registry can
	 * reload. A transport that never loses messages need not implement it.
	 */
	onResync?(handler: () => void): void;
	/** Stops receiving and releases the transport's connections. */
	close(): Promise<void>;
}
