import type { AbuseReportEvent, NoteCreatedEvent, UserRef } from '../../src/index.js';
import type { MiAbuseUserReport, MiNote, MinimumUser } from './misskey-services.js';

// What Misskey's services hold at each event, turned into the module's events. docs/misskey.md shows where each is called.

/** A Misskey user (any shape with `id` and `host`) as the module names users. */
export function userRef(user: MinimumUser): UserRef {
	return { id: user.id, host: user.host };
}

/**
 * `NoteCreateService.postNoteCreated`: the stored note, the mentioned users as `create` widened them, and
 * `data.visibleUsers` (read only for a direct note). The reply and renote authors come from the note's own columns.
 */
export function noteCreatedEvent(note: MiNote, mentionedUsers: readonly MinimumUser[], visibleUsers: readonly MinimumUser[] | null | undefined, silent: boolean): NoteCreatedEvent {
	return {
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
