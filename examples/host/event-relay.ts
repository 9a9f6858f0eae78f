import type { EntityManager } from 'typeorm';
import type { RaiseOptions, WebhookModule } from '../../src/index.js';

/** Everything the module lets a host raise: user events and system events. */
export type ModuleEvents = WebhookModule['events'];

/**
 * Hands the module's events over: inside the host's transaction (`inTransaction`, what the services do), or after the
 * host's own write without making the API reply wait for delivery (`raise`).
 * The module reports its own failures; anything thrown anyway is logged here, and drain() waits for what is in flight.
 * It is connected after creation because the module itself needs the host's services (through the adapter) first.
 */
export class EventRelay {
	private readonly inFlight = new Set<Promise<void>>();
	private events: ModuleEvents | null = null;

	constructor(private readonly logError: (message: string, error: unknown) => void) {}

	/** Hands the module's events to the relay; call once the module exists, before serving requests. */
	connect(events: ModuleEvents): void {
		this.events = events;
	}

	/** Starts `fire` in the background; `name` labels the log line should it fail. */
	raise(name: keyof ModuleEvents, fire: (events: ModuleEvents) => Promise<void>): void {
		const events = this.events;
		if (!events) {
			this.logError(`webhook event ${name} dropped`, new Error('the webhook module is not connected yet'));
			return;
		}
		const running: Promise<void> = Promise.resolve()
			.then(() => fire(events))
			.catch((error: unknown) => this.logError(`webhook event ${name} failed`, error))
			.finally(() => this.inFlight.delete(running));
		this.inFlight.add(running);
	}

	/**
	 * Writes the event into the host's open transaction (one INSERT), so it is committed if and only if the host's write
	 * is; the module delivers it after commit. A failure rejects, failing the transaction with it.
	 */
	async inTransaction(transaction: EntityManager, fire: (events: ModuleEvents, options: RaiseOptions) => Promise<void>): Promise<void> {
		if (!this.events) throw new Error('the webhook module is not connected yet');
		await fire(this.events, { transaction });
	}

	/** Resolves once every event raised so far has been handed to the module. */
	async drain(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}
}
