// Payloads of the system-webhook test endpoint, matching Misskey's WebhookTestService field for field (spec §11):
// receivers compare test deliveries with real ones, so key order and values are kept as Misskey sends them.
import type { SystemWebhookEventType } from './catalogue.js';
import type { AbuseReportPayload } from '../generated/abuse-report-payload.js';
import type { UserCreatedWebhookBody } from '../generated/events/system/user-created.js';
import type { InactiveModeratorsWarningWebhookBody } from '../generated/events/system/inactive-moderators-warning.js';
import type { InactiveModeratorsInvitationOnlyChangedWebhookBody } from '../generated/events/system/inactive-moderators-invitation-only-changed.js';
import { dummyUserLite, type DummyUserNumber } from './dummies.js';

/** Any body the test endpoint sends for a system event. */
export type DummySystemWebhookBody =
	| AbuseReportPayload
	| UserCreatedWebhookBody
	| InactiveModeratorsWarningWebhookBody
	| InactiveModeratorsInvitationOnlyChangedWebhookBody;

const userIdOf = (n: DummyUserNumber) => dummyUserLite(n).id;

/** Misskey's dummy report: dummyUser2 reports dummyUser1; `assignee` is dummyUser3 once resolved (spec §11). */
export function dummyAbuseReport(resolved: boolean): AbuseReportPayload {
	return {
		id: 'dummy-abuse-report1',
		targetUserId: userIdOf(1),
		targetUser: dummyUserLite(1),
		reporterId: userIdOf(2),
		reporter: dummyUserLite(2),
		assigneeId: resolved ? userIdOf(3) : null,
		assignee: resolved ? dummyUserLite(3) : null,
		resolved,
		forwarded: false,
		comment: 'This is a dummy report for testing purposes.',
		targetUserHost: null,
		reporterHost: null,
		resolvedAs: null,
		moderationNote: 'foo',
	};
}

/** The body Misskey's test endpoint sends for a system event `type` (spec §11); every type has one. */
export function dummySystemWebhookBody(type: SystemWebhookEventType): DummySystemWebhookBody {
	switch (type) {
		case 'abuseReport': return dummyAbuseReport(false);
		case 'abuseReportResolved': return dummyAbuseReport(true);
		case 'userCreated': return dummyUserLite(1);
		case 'inactiveModeratorsWarning': return { remainingTime: { time: 100_000, asDays: 1, asHours: 24 } };
		case 'inactiveModeratorsInvitationOnlyChanged': return {};
	}
}
