import { UserEntity } from './user.entity.js';
import { NoteEntity } from './note.entity.js';
import { PollEntity } from './poll.entity.js';
import { FollowingEntity } from './following.entity.js';
import { FollowRequestEntity } from './follow-request.entity.js';
import { NoteReactionEntity } from './note-reaction.entity.js';
import { NoteThreadMutingEntity } from './note-thread-muting.entity.js';
import { AbuseUserReportEntity } from './abuse-user-report.entity.js';
import { ModerationLogEntity } from './moderation-log.entity.js';
import { AbuseReportNotificationRecipientEntity } from './abuse-report-notification-recipient.entity.js';

/** Every table the reference host owns (the module brings its own through `webhookEntities`). */
export const hostEntities = [UserEntity, NoteEntity, PollEntity, FollowingEntity, FollowRequestEntity, NoteReactionEntity, NoteThreadMutingEntity, AbuseUserReportEntity, ModerationLogEntity, AbuseReportNotificationRecipientEntity];

export { UserEntity, NoteEntity, PollEntity, FollowingEntity, FollowRequestEntity, NoteReactionEntity, NoteThreadMutingEntity, AbuseUserReportEntity, ModerationLogEntity, AbuseReportNotificationRecipientEntity };
export { abuseReportResolveTypes, type AbuseReportResolveType } from './abuse-user-report.entity.js';
export { abuseReportRecipientMethods, type AbuseReportRecipientMethod } from './abuse-report-notification-recipient.entity.js';
export { noteVisibilities, type NoteVisibility } from './note.entity.js';
