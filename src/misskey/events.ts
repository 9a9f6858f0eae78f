import type { AbuseReportEvent, NoteCreatedEvent, NoteDeletedEvent, UserRef, WebhookEvents } from '../index.js';
import type { MiAbuseUserReport, MiNote, MinimumUser, ModeratorInactivityRemainingTime } from './services.js';

// What Misskey's services hold at each event, turned into the module's events. docs/misskey.md shows where each is called.

/** A Misskey user (any shape with `id` and `host`) as the module names users. */
export function userRef(user: MinimumUser): UserRef {
	return { id: user.id, host: user.host };
}

/**
 * `NoteCreateService.postNoteCreated`: the stored note, the mentioned users as `create` widened them, and
 * `data.visibleUsers` (read only for a direct note). The reply and renote authors come from the note's own columns.
 * `packedNote` is the `noteObj` Misskey packed there for no viewer: the `note`, `reply` and `renote` body as stock
 * Misskey sends it, so the module does not pack the note a second time.
 */
export function noteCreatedEvent(note: MiNote, mentionedUsers: readonly MinimumUser[], visibleUsers: readonly MinimumUser[] | null | undefined, silent: boolean, packedNote?: unknown): NoteCreatedEvent {
	return {
		...(packedNote === undefined ? {} : { packedNote }),
		note: {
			id: note.id,
			userId: note.userId,
			threadId: note.threadId,
			reply: note.replyId !== null && note.replyUserId !== null ? { id: note.replyId, user: { id: note.replyUserId, host: note.replyUserHost } } : null,
			renote: note.renoteId !== null && note.renoteUserId !== null ? { id: note.renoteId, user: { id: note.renoteUserId, host: note.renoteUserHost } } : null,
			mentionedUsers: mentionedUsers.map(userRef),
			visibility: note.visibility,
			visibleUsers: (visibleUsers ?? []).map(userRef),
		},
		silent,
	};
}

/**
 * `NoteDeleteService.delete`: the author as the service got it, the note, the time it set, and its `quiet` flag. Called
 * after the row is deleted; an unrenote deletes the renote the same way, so it raises `noteDeleted` too.
 */
export function noteDeletedEvent(author: MinimumUser, note: Pick<MiNote, 'id'>, deletedAt: Date, quiet: boolean): NoteDeletedEvent {
	return { note: { id: note.id, user: userRef(author) }, deletedAt, silent: quiet };
}

/** `AbuseReportService.report` and `resolve`: the stored report row; the module packs its users itself. */
export function abuseReportEvent(report: MiAbuseUserReport): AbuseReportEvent {
	return {
		id: report.id,
		targetUserId: report.targetUserId,
		targetUserHost: report.targetUserHost,
		reporterId: report.reporterId,
		reporterHost: report.reporterHost,
		assigneeId: report.assigneeId,
		resolved: report.resolved,
		forwarded: report.forwarded,
		comment: report.comment,
		moderationNote: report.moderationNote,
		resolvedAs: report.resolvedAs,
	};
}

/** The system events Misskey 2025.9's `SystemWebhookService.enqueueSystemWebhook` is asked to send. */
export type MisskeySystemWebhookEventType = 'abuseReport' | 'abuseReportResolved' | 'userCreated' | 'inactiveModeratorsWarning' | 'inactiveModeratorsInvitationOnlyChanged';

/**
 * Raises what Misskey's services hand `SystemWebhookService.enqueueSystemWebhook` as the module's system event, so the
 * services that call it (abuse reports, sign-up, the moderator-activity check) stay as they are. The content is what
 * they pass: the report with its users packed, the new user packed as `UserLite`, `{ remainingTime }`, or nothing; the
 * module reads the ids from it and packs the users itself.
 */
export function raiseSystemWebhookEvent(events: WebhookEvents, type: MisskeySystemWebhookEventType, content: unknown): void {
	switch (type) {
		case 'abuseReport':
			void events.abuseReport(abuseReportEvent(content as MiAbuseUserReport));
			return;
		case 'abuseReportResolved':
			void events.abuseReportResolved(abuseReportEvent(content as MiAbuseUserReport));
			return;
		case 'userCreated':
			void events.userCreated({ id: (content as MinimumUser).id });
			return;
		case 'inactiveModeratorsWarning':
			void events.inactiveModeratorsWarning({ remainingTime: (content as { remainingTime: ModeratorInactivityRemainingTime }).remainingTime });
			return;
		case 'inactiveModeratorsInvitationOnlyChanged':
			void events.inactiveModeratorsInvitationOnlyChanged();
			return;
	}
}
