import type { UserWebhookDelivery } from '../delivery/user-webhook-delivery.js';
import type { SystemWebhookDelivery } from '../delivery/system-webhook-delivery.js';
import type { PreparedEvent } from '../delivery/delivery-of-kind.js';
import type { SystemWebhookDeliverJobData, UserWebhookDeliverJobData } from '../delivery/job/job-data.js';
import type { PlannedDelivery } from './event-planner.js';
import type { IntakeQueryable } from './intake-store.js';

/** Planned deliveries built into outbox rows and jobs, by kind. */
export interface PreparedDeliveries {
	user: Array<PreparedEvent<UserWebhookDeliverJobData>>;
	system: Array<PreparedEvent<SystemWebhookDeliverJobData>>;
}

/** Where planned deliveries go: now (`enqueue`), or into a transaction and to the queue after it commits. */
export class OutboxSink {
	constructor(private readonly deliveries: { user: Pick<UserWebhookDelivery, 'enqueue' | 'prepare' | 'writePrepared' | 'queuePrepared'>; system: Pick<SystemWebhookDelivery, 'enqueue' | 'prepare' | 'writePrepared' | 'queuePrepared'> }) {}

	/** Queues planned deliveries the usual way (outbox rows, then jobs), one after the other in rule order. */
	async enqueue(planned: readonly PlannedDelivery[]): Promise<void> {
		for (const delivery of planned) {
			if (delivery.kind === 'user') await this.deliveries.user.enqueue(delivery.targets, delivery.type, delivery.body);
			else await this.deliveries.system.enqueue(delivery.targets, delivery.type, delivery.body);
		}
	}

	prepare(planned: readonly PlannedDelivery[], into: PreparedDeliveries = { user: [], system: [] }): PreparedDeliveries {
		for (const delivery of planned) {
			if (delivery.targets.length === 0) continue;
			if (delivery.kind === 'user') into.user.push(this.deliveries.user.prepare(delivery.targets, delivery.type, delivery.body));
			else into.system.push(this.deliveries.system.prepare(delivery.targets, delivery.type, delivery.body));
		}
		return into;
	}

	/** Writes the outbox rows inside `transaction`. */
	async write(prepared: PreparedDeliveries, transaction: IntakeQueryable): Promise<void> {
		await this.deliveries.user.writePrepared(prepared.user, transaction);
		await this.deliveries.system.writePrepared(prepared.system, transaction);
	}

	/** Queues the jobs once their rows are committed; a refused add is left to the reconciler. */
	async queue(prepared: PreparedDeliveries): Promise<void> {
		await Promise.all([this.deliveries.user.queuePrepared(prepared.user), this.deliveries.system.queuePrepared(prepared.system)]);
	}
}
