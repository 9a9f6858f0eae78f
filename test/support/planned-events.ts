import type { WebhookEventName } from '../../src/events/catalogue.js';
import { planEvent, type EventPlannerDependencies, type PlanFailure } from '../../src/intake/event-planner.js';
import type { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import type { SystemWebhookDelivery } from '../../src/delivery/system-webhook-delivery.js';
import type { WebhookEvents } from '../../src/intake/webhook-events.js';

/** The `events` methods, each raising its event as the module does without a transaction, minus the intake. */
export type PlannedEvents = { [Name in WebhookEventName]: (...args: Parameters<WebhookEvents[Name]>) => Promise<void> };

export interface PlannedEventsInput {
	/** The queues the planned deliveries go to; a test of one kind gives only that kind's. */
	user?: Pick<UserWebhookDelivery, 'enqueue'>;
	system?: Pick<SystemWebhookDelivery, 'enqueue'>;
	failures: PlanFailure[];
}

/**
 * Events raised straight through the planner and into the real queue: plan (rules, registry, the host's packers), then
 * queue what was planned, as the module does for an event raised without a transaction. Instead of parking an event
 * that must wait, or logging a dropped recipient, the plan's failures go to `failures` (a `retry` plan queues nothing).
 */
export function plannedEvents(deps: EventPlannerDependencies & PlannedEventsInput): PlannedEvents {
	const raise = async (name: WebhookEventName, payload: unknown): Promise<void> => {
		const plan = await planEvent(name, payload, deps);
		if (plan.kind === 'retry') {
			deps.failures.push(plan.failure);
			return;
		}
		deps.failures.push(...plan.dropped);
		// One after the other in rule order, as the module's outbox sink queues them.
		for (const delivery of plan.deliveries) {
			if (delivery.kind === 'user') await deps.user!.enqueue(delivery.targets, delivery.type, delivery.body);
			else await deps.system!.enqueue(delivery.targets, delivery.type, delivery.body);
		}
	};
	return {
		noteCreated: (event) => raise('noteCreated', event),
		followCreated: (event) => raise('followCreated', event),
		followDeleted: (event) => raise('followDeleted', event),
		followRequestRejected: (event) => raise('followRequestRejected', event),
		reactionCreated: (event) => raise('reactionCreated', event),
		noteEdited: (event) => raise('noteEdited', event),
		noteDeleted: (event) => raise('noteDeleted', event),
		followRequestCreated: (event) => raise('followRequestCreated', event),
		followRequestAccepted: (event) => raise('followRequestAccepted', event),
		abuseReport: (report) => raise('abuseReport', report),
		abuseReportResolved: (report) => raise('abuseReportResolved', report),
		abuseReportAutoResolved: (report) => raise('abuseReportAutoResolved', report),
		userCreated: (user) => raise('userCreated', user),
		inactiveModeratorsWarning: (event) => raise('inactiveModeratorsWarning', event),
		inactiveModeratorsInvitationOnlyChanged: () => raise('inactiveModeratorsInvitationOnlyChanged', undefined),
	};
}
