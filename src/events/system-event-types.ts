import type { InactiveModeratorsWarningWebhookBody } from '../generated/events/system/inactive-moderators-warning.js';

/**
 * An abuse report as the host stores it (Misskey's `abuse_user_report` row): the module packs `targetUser`,
 * `reporter` and `assignee` from the ids with the host's `packUserLite`, so the host passes ids only.
 */
export interface AbuseReportEvent {
	id: string;
	/** The reported user. */
	targetUserId: string;
	/** The reported user's host; null for a local user. */
	targetUserHost: string | null;
	reporterId: string;
	/** The reporter's host; null for a local user. */
	reporterHost: string | null;
	/** The moderator who resolved it; null while unresolved. */
	assigneeId: string | null;
	resolved: boolean;
	/** Whether the report was forwarded to the target user's server. */
	forwarded: boolean;
	comment: string;
	/** Misskey's default is ''. */
	moderationNote?: string;
	/** How a moderator resolved it (Misskey `AbuseReportResolveType`); null while unresolved or when not given. */
	resolvedAs: 'accept' | 'reject' | null;
}

/** A local user just signed up or was created by an administrator (Misskey `SignupService.signup`). */
export interface UserCreatedEvent {
	id: string;
}

/** The hourly moderator-activity check's warning (Misskey `CheckModeratorsActivityProcessorService`), sent as is. */
export type InactiveModeratorsWarningEvent = InactiveModeratorsWarningWebhookBody;
