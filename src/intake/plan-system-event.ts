import type { HostAdapter } from '../host.js';
import type { SystemEventMethod, SystemWebhookEventType } from '../events/catalogue.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { SystemDeliveryTarget } from '../delivery/system-webhook-delivery.js';
import type { AbuseReportEvent, InactiveModeratorsWarningEvent, UserCreatedEvent } from '../events/system-event-types.js';
import { packAbuseReportBody } from '../events/abuse-report-body.js';
import { webhooksPassingFilters, type FilteredOut } from '../events/content-filter.js';

/** What planning a system event reads: the registry to match, the host to pack users and name its exclusions. */
export interface SystemEventPlanning {
	registry: Pick<WebhookRegistry, 'matchSystem'>;
	host: Pick<HostAdapter, 'packUserLite' | 'systemWebhookIdsExcludedFromAbuseReports'>;
}

/** Every active system webhook whose `on` contains the type, and the body. */
export interface SystemPlannedDelivery {
	kind: 'system';
	targets: readonly SystemDeliveryTarget[];
	type: SystemWebhookEventType;
	body: unknown;
}

/** Which system event went wrong and where. */
export interface SystemEventPlanFailure {
	event: SystemEventMethod;
	type: SystemWebhookEventType;
	/**
	 * A `packing` failure of an abuse report's user only nulls that user; any other failure drops the event.
	 * `exclusions`: the host could not tell which system webhooks to leave out of an abuse event.
	 */
	stage: 'exclusions' | 'packing' | 'event';
	error: unknown;
}

export interface SystemEventPlan {
	deliveries: SystemPlannedDelivery[];
	failures: SystemEventPlanFailure[];
	filtered: FilteredOut[];
}

/**
 * The events Misskey sends past the system webhooks of inactive abuse-report notification recipients; a report resolved
 * by a rule is one of them too.
 */
const abuseReportTypes: ReadonlySet<SystemWebhookEventType> = new Set<SystemWebhookEventType>(['abuseReport', 'abuseReportResolved', 'abuseReportAutoResolved']);

/**
 * A system event's delivery: to every active system webhook whose `on` contains the type (for the three abuse events,
 * but those the host's `systemWebhookIdsExcludedFromAbuseReports` names). The body is built only when some webhook
 * wants it. `payload` is what the host raised (or the intake kept), unchecked.
 */
export async function planSystemEvent(name: SystemEventMethod, payload: unknown, deps: SystemEventPlanning): Promise<SystemEventPlan> {
	const plan: SystemEventPlan = { deliveries: [], failures: [], filtered: [] };
	// Each system method raises the type of its name.
	const type: SystemWebhookEventType = name;
	const fail = (stage: SystemEventPlanFailure['stage'], error: unknown) => plan.failures.push({ event: name, type, stage, error });
	try {
		let webhooks = deps.registry.matchSystem(type);
		if (webhooks.length === 0) return plan;
		// Asked only once some webhook wants the event, so a server without abuse subscribers never queries recipients.
		if (abuseReportTypes.has(type) && deps.host.systemWebhookIdsExcludedFromAbuseReports) {
			let excluded: ReadonlySet<string>;
			try {
				excluded = new Set(await deps.host.systemWebhookIdsExcludedFromAbuseReports());
			} catch (error) {
				fail('exclusions', error);
				return plan;
			}
			webhooks = deps.registry.matchSystem(type, excluded);
			if (webhooks.length === 0) return plan;
		}
		let body: unknown;
		try {
			body = await bodyOf(name, payload, deps.host, (error) => fail('packing', error));
		} catch (error) {
			fail('packing', error);
			return plan;
		}
		// Content filters read the body, so they run once it is built.
		const { passing, filteredOut } = webhooksPassingFilters(webhooks, body);
		if (filteredOut > 0) plan.filtered.push({ kind: 'system', type, count: filteredOut });
		if (passing.length > 0) plan.deliveries.push({ kind: 'system', targets: passing, type, body });
	} catch (error) {
		fail('event', error);
	}
	return plan;
}

async function bodyOf(name: SystemEventMethod, payload: unknown, host: SystemEventPlanning['host'], onUserFailure: (error: unknown) => void): Promise<unknown> {
	switch (name) {
		case 'abuseReport':
		case 'abuseReportResolved':
		case 'abuseReportAutoResolved':
			return packAbuseReportBody(payload as AbuseReportEvent, host, onUserFailure);
		// A new user that cannot be packed leaves no body to send: that packing failure drops the event.
		case 'userCreated':
			return host.packUserLite((payload as UserCreatedEvent).id);
		// Misskey's moderator check builds the remaining time as { time, asHours, asDays } (its test dummy differs).
		case 'inactiveModeratorsWarning': {
			const { remainingTime } = payload as InactiveModeratorsWarningEvent;
			return { remainingTime: { time: remainingTime.time, asHours: remainingTime.asHours, asDays: remainingTime.asDays } };
		}
		case 'inactiveModeratorsInvitationOnlyChanged':
			return {};
	}
}
