import type { EntityManager } from 'typeorm';
import type { RaiseOptions, WebhookModule } from '../../src/index.js';

/** Everything the module lets a host raise: user events and system events. */
export type ModuleEvents = WebhookModule['events'];

/**
 * Hands the services' events to the module inside their own transactions. It is connected after creation because the
 * module itself needs the host's services (through the adapter) first.
 */
export class EventRelay {
	private events: ModuleEvents | null = null;

	/** Hands the module's events to the relay; call once the module exists, before serving requests. */
	connect(events: ModuleEvents): void {
		this.events = events;
	}

	/**
	 * Writes the event into the host's open transaction (one INSERT), so it is committed if and only if the host's write
	 * is; the module delivers it after commit. A failure rejects, failing the transaction with it.
	 */
	async inTransaction(transaction: EntityManager, fire: (events: ModuleEvents, options: RaiseOptions) => Promise<void>): Promise<void> {
		if (!this.events) throw new Error('the webhook module is not connected yet');
		await fire(this.events, { transaction });
	}
}
