import type { HostAdapter } from '../host.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { SystemWebhookDelivery } from '../delivery/system-webhook-delivery.js';
import type { AbuseReportPayload } from '../generated/abuse-report-payload.js';
import type { UserLite } from '../generated/user-lite.js';
import type { AbuseReportEvent, InactiveModeratorsWarningEvent, UserCreatedEvent } from '../events/system-event-types.js';

/**
 * The system events a host raises, delivered to every active system webhook whose `on` contains the type (for the two
 * abuse events, but those the host's `systemWebhookIdsExcludedFromAbuseReports` names).
 * Each resolves once the deliveries are queued; none ever rejects, so the host need not await it.
 */
export interface SystemEvents {
	/** A user filed a report (Misskey `AbuseReportService.report`): one call per report. */
	abuseReport(report: AbuseReportEvent): Promise<void>;
	/** A moderator resolved a report (Misskey `AbuseReportService.resolve`): pass the row as re-read after the update. */
	abuseReportResolved(report: AbuseReportEvent): Promise<void>;
	/** A local account was created (signup, or an administrator's `admin/accounts/create`). */
	userCreated(user: UserCreatedEvent): Promise<void>;
	/** The hourly check found every moderator inactive and registration closes soon. */
	inactiveModeratorsWarning(event: InactiveModeratorsWarningEvent): Promise<void>;
	/** The hourly check switched the server to invitation-only. */
	inactiveModeratorsInvitationOnlyChanged(): Promise<void>;
}

/** Which system event went wrong and where; reported as data instead of thrown into the host's service. */
export interface SystemEventFailure {
	event: keyof SystemEvents;
	type: SystemWebhookEventType;
	/**
	 * A `packing` failure of an abuse report's user only nulls that user; any other failure drops the event.
	 * `exclusions`: the host could not tell which system webhooks to leave out of an abuse event.
	 */
	stage: 'exclusions' | 'packing' | 'enqueueing' | 'event';
	error: unknown;
}

/** What the system events need: the registry to match, the system queue, the host to pack users. */
export interface SystemEventsDependencies {
	registry: Pick<WebhookRegistry, 'matchSystem'>;
	delivery: Pick<SystemWebhookDelivery, 'enqueue'>;
	host: Pick<HostAdapter, 'packUserLite' | 'systemWebhookIdsExcludedFromAbuseReports'>;
	/** Where failures go; by default they are written to stderr. */
	reportFailure?: (failure: SystemEventFailure) => void;
}

/** The events Misskey sends past the system webhooks of inactive abuse-report notification recipients. */
const abuseReportTypes: ReadonlySet<SystemWebhookEventType> = new Set<SystemWebhookEventType>(['abuseReport', 'abuseReportResolved']);

function logFailure(failure: SystemEventFailure): void {
	console.warn(`[misskey-webhooks] ${failure.event}: ${failure.stage} failed (${failure.type}):`, failure.error);
}

/** Turns the host's system events into queued deliveries; bodies are built only when some webhook wants them. */
export function createSystemEvents(deps: SystemEventsDependencies): SystemEvents {
	const { registry, delivery, host } = deps;
	const reportFailure = deps.reportFailure ?? logFailure;
	const report = (failure: SystemEventFailure) => {
		try { reportFailure(failure); } catch { /* the reporter is the last resort */ }
	};

	async function deliver(event: keyof SystemEvents, type: SystemWebhookEventType, body: (fail: (error: unknown) => void) => Promise<unknown>): Promise<void> {
		try {
			let webhooks = registry.matchSystem(type);
			if (webhooks.length === 0) return;
			// Asked only once some webhook wants the event, so a server without abuse subscribers never queries recipients.
			if (abuseReportTypes.has(type) && host.systemWebhookIdsExcludedFromAbuseReports) {
				let excluded: ReadonlySet<string>;
				try {
					excluded = new Set(await host.systemWebhookIdsExcludedFromAbuseReports());
				} catch (error) {
					report({ event, type, stage: 'exclusions', error });
					return;
				}
				webhooks = registry.matchSystem(type, excluded);
				if (webhooks.length === 0) return;
			}
			const reportPacking = (error: unknown) => report({ event, type, stage: 'packing', error });
			let content: unknown;
			try {
				content = await body(reportPacking);
			} catch (error) {
				reportPacking(error);
				return;
			}
			try {
				await delivery.enqueue(webhooks, type, content);
			} catch (error) {
				report({ event, type, stage: 'enqueueing', error });
			}
		} catch (error) {
			report({ event, type, stage: 'event', error });
		}
	}

	// Misskey packs the three users at once and puts null for any it cannot pack.
	async function abuseReportPayload(row: AbuseReportEvent, fail: (error: unknown) => void): Promise<AbuseReportPayload> {
		const packed = new Map<string, Promise<UserLite | null>>();
		const userLite = (id: string | null): Promise<UserLite | null> => {
			if (id === null) return Promise.resolve(null);
			let user = packed.get(id);
			if (!user) {
				user = host.packUserLite(id).catch((error: unknown) => {
					fail(error);
					return null;
				});
				packed.set(id, user);
			}
			return user;
		};
		const [targetUser, reporter, assignee] = await Promise.all([userLite(row.targetUserId), userLite(row.reporterId), userLite(row.assigneeId)]);
		// Keys in the order Misskey's body has them: it spreads the report entity, whose fields come in declaration order
		// (the test endpoint's dummy report orders them otherwise, and keeps its own order).
		return {
			id: row.id,
			targetUserId: row.targetUserId,
			targetUser,
			reporterId: row.reporterId,
			reporter,
			assigneeId: row.assigneeId,
			assignee,
			resolved: row.resolved,
			forwarded: row.forwarded,
			comment: row.comment,
			moderationNote: row.moderationNote ?? '',
			resolvedAs: row.resolvedAs,
			targetUserHost: row.targetUserHost,
			reporterHost: row.reporterHost,
		};
	}

	return {
		abuseReport: (row) => deliver('abuseReport', 'abuseReport', (fail) => abuseReportPayload(row, fail)),
		abuseReportResolved: (row) => deliver('abuseReportResolved', 'abuseReportResolved', (fail) => abuseReportPayload(row, fail)),
		// A new user that cannot be packed leaves no body to send: that packing failure drops the event.
		userCreated: (user) => deliver('userCreated', 'userCreated', () => host.packUserLite(user.id)),
		// Misskey's moderator check builds the remaining time as { time, asHours, asDays } (its test dummy differs).
		inactiveModeratorsWarning: (event) => deliver('inactiveModeratorsWarning', 'inactiveModeratorsWarning', async () => ({
			remainingTime: { time: event.remainingTime.time, asHours: event.remainingTime.asHours, asDays: event.remainingTime.asDays },
		})),
		inactiveModeratorsInvitationOnlyChanged: () => deliver('inactiveModeratorsInvitationOnlyChanged', 'inactiveModeratorsInvitationOnlyChanged', async () => ({})),
	};
}
