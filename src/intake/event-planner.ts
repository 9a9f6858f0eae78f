import type { HostAdapter } from '../host.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { DeliveryTarget } from '../delivery/user-webhook-delivery.js';
import type { SystemDeliveryTarget } from '../delivery/system-webhook-delivery.js';
import { createHostEvents, type HostEventFailure, type HostEvents } from './host-events.js';
import { createSystemEvents, type SystemEventFailure, type SystemEvents } from './system-events.js';
import { isGoneForGood } from './packing-failure.js';

/** Every event a host can raise, by the name of its `events` method. */
export type WebhookEventName = keyof HostEvents | keyof SystemEvents;

const hostEventNames: ReadonlySet<string> = new Set<keyof HostEvents>(['noteCreated', 'followCreated', 'followDeleted', 'followRequestRejected', 'reactionCreated']);
const systemEventNames: ReadonlySet<string> = new Set<keyof SystemEvents>(['abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged']);

export function isWebhookEventName(name: string): name is WebhookEventName {
	return hostEventNames.has(name) || systemEventNames.has(name);
}

/** One (webhooks, type, body) the rules chose and the host packed, in rule order. */
export type PlannedDelivery =
	| { kind: 'user'; targets: readonly DeliveryTarget[]; type: string; body: unknown }
	| { kind: 'system'; targets: readonly SystemDeliveryTarget[]; type: string; body: unknown };

/** A failure the rules met, as the event reporters give it. */
export type PlanFailure = HostEventFailure | SystemEventFailure;

/**
 * What one event comes to: every delivery packed (`ready`; `dropped` names the recipients given up for a reason that
 * will not heal, e.g. a deleted note), or not yet (`retry`: some body could not be packed now; nothing of it is kept).
 */
export type EventPlan =
	| { kind: 'ready'; deliveries: PlannedDelivery[]; dropped: PlanFailure[] }
	| { kind: 'retry'; failure: PlanFailure };

export interface EventPlannerDependencies {
	registry: Pick<WebhookRegistry, 'match' | 'matchSystem'>;
	host: Pick<HostAdapter, 'isThreadMuted' | 'packNote' | 'packUserLite' | 'packUserDetailed' | 'systemWebhookIdsExcludedFromAbuseReports'>;
}

/**
 * Runs an event through the rules, the registry and the host's packers, with no side effect: the deliveries are
 * collected, not queued, so the caller decides where they go (the queue now, or the outbox in the relay's transaction).
 * A thread-muting or exclusions answer, or a body, that failed for a passing reason makes the whole event `retry`; a
 * failed exclusions answer always does (an abuse report must neither reach a webhook left out nor be lost); a gone note
 * or user drops only its recipients; a malformed event (the rules threw) is `ready` with nothing to deliver and its failure.
 */
export function createEventPlanner(deps: EventPlannerDependencies): (name: WebhookEventName, payload: unknown) => Promise<EventPlan> {
	return async (name, payload) => {
		const deliveries: PlannedDelivery[] = [];
		const failures: PlanFailure[] = [];
		const reportFailure = (failure: PlanFailure) => failures.push(failure);
		if (hostEventNames.has(name)) {
			const events = createHostEvents({
				registry: deps.registry,
				host: deps.host,
				delivery: { enqueue: async (targets, type, body) => { deliveries.push({ kind: 'user', targets, type, body }); } },
				reportFailure,
			});
			await (events[name as keyof HostEvents] as (event: unknown) => Promise<void>)(payload);
		} else {
			const events = createSystemEvents({
				registry: deps.registry,
				host: deps.host,
				delivery: { enqueue: async (targets, type, body) => { deliveries.push({ kind: 'system', targets, type, body }); } },
				reportFailure,
			});
			await (events[name as keyof SystemEvents] as (event: unknown) => Promise<void>)(payload);
		}
		const passing = failures.find((failure) => failure.stage === 'exclusions' || (failure.stage !== 'event' && !isGoneForGood(failure.error)));
		if (passing) return { kind: 'retry', failure: passing };
		return { kind: 'ready', deliveries, dropped: failures };
	};
}

/** One line naming a failure: the event, the stage, whom it concerned, and the error. */
export function describePlanFailure(failure: PlanFailure): string {
	const error = failure.error instanceof Error ? `${failure.error.name}: ${failure.error.message}` : String(failure.error);
	const who = 'ownerId' in failure ? ` for ${failure.ownerId}` : '';
	const type = 'type' in failure ? ` (${failure.type})` : '';
	return `${failure.event}: ${failure.stage} failed${who}${type}: ${error}`;
}
