// Payloads of the system-webhook test endpoint, matching Misskey's WebhookTestService field for field:
// receivers compare test deliveries with real ones, so key order and values are kept as Misskey sends them.
import type { SystemWebhookEventType } from '../../events/catalogue.js';
import type { AbuseReportPayload } from '../../generated/abuse-report-payload.js';
import type { UserCreatedWebhookBody } from '../../generated/events/system/user-created.js';
import type { InactiveModeratorsWarningWebhookBody } from '../../generated/events/system/inactive-moderators-warning.js';
import type { InactiveModeratorsInvitationOnlyChangedWebhookBody } from '../../generated/events/system/inactive-moderators-invitation-only-changed.js';
import type { UserWebhookDisabledWebhookBody } from '../../generated/events/system/user-webhook-disabled.js';
import { autoDisableReason } from '../../delivery/auto-disable/auto-disable-rule.js';
import { DEFAULT_AUTO_DISABLE_AFTER_MS } from '../../config/options.js';
import { dummyUserLite, type DummyUserNumber } from './dummies.js';
import { redactWebhookUrl } from '../../core/redact-url.js';

/** Any body the test endpoint sends for a system event. */
export type DummySystemWebhookBody =
	| AbuseReportPayload
	| UserCreatedWebhookBody
	| InactiveModeratorsWarningWebhookBody
	| InactiveModeratorsInvitationOnlyChangedWebhookBody
	| UserWebhookDisabledWebhookBody;

const userIdOf = (n: DummyUserNumber) => dummyUserLite(n).id;

/**
 * Ours (Misskey has no such event): Misskey's dummy report as a rule resolved it: resolved and accepted, no assignee,
 * the rule named in the moderation note.
 */
export function dummyAbuseReportAutoResolved(): AbuseReportPayload {
	return { ...dummyAbuseReport(false), resolved: true, resolvedAs: 'accept', moderationNote: 'Resolved by a rule.' };
}

/** Misskey's dummy report: dummyUser2 reports dummyUser1; `assignee` is dummyUser3 once resolved. */
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

/** Ours (Misskey has no such event): dummyUser1's webhook paused after the default window, the last delivery a 503. */
export function dummyUserWebhookDisabled(): UserWebhookDisabledWebhookBody {
	return {
		webhook: { id: 'dummy-webhook1', userId: userIdOf(1), name: 'Dummy webhook', url: redactWebhookUrl('https://receiver.example/dummy-webhook') },
		user: dummyUserLite(1),
		reason: autoDisableReason(DEFAULT_AUTO_DISABLE_AFTER_MS, { kind: 'retry', status: 503, reason: '503 Service Unavailable', throttle: false }),
		pausedBy: 'auto',
	};
}

/** The body Misskey's test endpoint sends for a system event `type`; every type has one, ours included. */
export function dummySystemWebhookBody(type: SystemWebhookEventType): DummySystemWebhookBody {
	switch (type) {
		case 'abuseReport': return dummyAbuseReport(false);
		case 'abuseReportResolved': return dummyAbuseReport(true);
		case 'userCreated': return dummyUserLite(1);
		case 'inactiveModeratorsWarning': return { remainingTime: { time: 100_000, asDays: 1, asHours: 24 } };
		case 'inactiveModeratorsInvitationOnlyChanged': return {};
		case 'userWebhookDisabled': return dummyUserWebhookDisabled();
		case 'abuseReportAutoResolved': return dummyAbuseReportAutoResolved();
	}
}
