import { isSystemEventMethod, type WebhookEventName } from '../events/catalogue.js';
import { planUserEvent, type UserEventPlanFailure, type UserEventPlanning, type UserPlannedDelivery } from './plan-user-event.js';
import { planSystemEvent, type SystemEventPlanFailure, type SystemEventPlanning, type SystemPlannedDelivery } from './plan-system-event.js';
import { isGoneForGood } from './packing-failure.js';
import type { FilteredOut } from '../events/content-filter.js';

/** One (webhooks, type, body) the rules chose and the host packed, in rule order. */
export type PlannedDelivery = UserPlannedDelivery | SystemPlannedDelivery;

/** A failure the rules met, as data: which event, at which stage, for whom. */
export type PlanFailure = UserEventPlanFailure | SystemEventPlanFailure;

/**
 * What one event comes to: every delivery packed (`ready`; `dropped` names the recipients given up for a reason that
 * will not heal, e.g. a deleted note), or not yet (`retry`: some body could not be packed now; nothing of it is kept).
 */
export type EventPlan =
	/** `filtered`: the webhooks content filters kept out, by delivery (counted in metrics). */
	| { kind: 'ready'; deliveries: PlannedDelivery[]; dropped: PlanFailure[]; filtered: FilteredOut[] }
	| { kind: 'retry'; failure: PlanFailure };

/** What planning reads: the registry to match webhooks, the host to ask and pack. */
export interface EventPlannerDependencies {
	registry: UserEventPlanning['registry'] & SystemEventPlanning['registry'];
	host: UserEventPlanning['host'] & SystemEventPlanning['host'];
}

/**
 * Runs an event through the rules, the registry and the host's packers, with no side effect: the caller decides where
 * the deliveries go (the queue now, or the outbox in the relay's transaction). A thread-muting or exclusions answer, or
 * a body, that failed for a passing reason makes the whole event `retry`; a failed exclusions answer always does (an
 * abuse report must neither reach a webhook left out nor be lost); a gone note or user drops only its recipients; a
 * malformed event (the rules threw) is `ready` with what was planned before it and its failure.
 */
export async function planEvent(name: WebhookEventName, payload: unknown, deps: EventPlannerDependencies): Promise<EventPlan> {
	const { deliveries, failures, filtered }: { deliveries: PlannedDelivery[]; failures: PlanFailure[]; filtered: FilteredOut[] } = isSystemEventMethod(name)
		? await planSystemEvent(name, payload, deps)
		: await planUserEvent(name, payload, deps);
	const passing = failures.find((failure) => failure.stage === 'exclusions' || (failure.stage !== 'event' && !isGoneForGood(failure.error)));
	if (passing) return { kind: 'retry', failure: passing };
	return { kind: 'ready', deliveries, dropped: failures, filtered };
}

/** One line naming a failure: the event, the stage, whom it concerned, and the error. */
export function describePlanFailure(failure: PlanFailure): string {
	const error = failure.error instanceof Error ? `${failure.error.name}: ${failure.error.message}` : String(failure.error);
	const who = 'ownerId' in failure ? ` for ${failure.ownerId}` : '';
	const type = 'type' in failure ? ` (${failure.type})` : '';
	return `${failure.event}: ${failure.stage} failed${who}${type}: ${error}`;
}
