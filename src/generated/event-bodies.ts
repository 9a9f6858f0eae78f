// Generated from schemas/events/**/*.json by npm run generate; do not edit.
import type { FollowRequestAcceptedWebhookBody } from './events/follow-request-accepted.js';
import type { FollowRequestReceivedWebhookBody } from './events/follow-request-received.js';
import type { FollowWebhookBody } from './events/follow.js';
import type { FollowedWebhookBody } from './events/followed.js';
import type { MentionWebhookBody } from './events/mention.js';
import type { NoteDeletedWebhookBody } from './events/note-deleted.js';
import type { NoteEditedWebhookBody } from './events/note-edited.js';
import type { NoteWebhookBody } from './events/note.js';
import type { ReactionWebhookBody } from './events/reaction.js';
import type { RenoteWebhookBody } from './events/renote.js';
import type { ReplyWebhookBody } from './events/reply.js';
import type { UnfollowWebhookBody } from './events/unfollow.js';
import type { AbuseReportAutoResolvedWebhookBody } from './events/system/abuse-report-auto-resolved.js';
import type { AbuseReportResolvedWebhookBody } from './events/system/abuse-report-resolved.js';
import type { AbuseReportWebhookBody } from './events/system/abuse-report.js';
import type { InactiveModeratorsInvitationOnlyChangedWebhookBody } from './events/system/inactive-moderators-invitation-only-changed.js';
import type { InactiveModeratorsWarningWebhookBody } from './events/system/inactive-moderators-warning.js';
import type { UserCreatedWebhookBody } from './events/system/user-created.js';
import type { UserWebhookDisabledWebhookBody } from './events/system/user-webhook-disabled.js';

/** The body of each user webhook event, by type (schemas/events/). */
export interface UserEventBodies {
	followRequestAccepted: FollowRequestAcceptedWebhookBody;
	followRequestReceived: FollowRequestReceivedWebhookBody;
	follow: FollowWebhookBody;
	followed: FollowedWebhookBody;
	mention: MentionWebhookBody;
	noteDeleted: NoteDeletedWebhookBody;
	noteEdited: NoteEditedWebhookBody;
	note: NoteWebhookBody;
	reaction: ReactionWebhookBody;
	renote: RenoteWebhookBody;
	reply: ReplyWebhookBody;
	unfollow: UnfollowWebhookBody;
}

/** The body of each system webhook event, by type (schemas/events/system/). */
export interface SystemEventBodies {
	abuseReportAutoResolved: AbuseReportAutoResolvedWebhookBody;
	abuseReportResolved: AbuseReportResolvedWebhookBody;
	abuseReport: AbuseReportWebhookBody;
	inactiveModeratorsInvitationOnlyChanged: InactiveModeratorsInvitationOnlyChangedWebhookBody;
	inactiveModeratorsWarning: InactiveModeratorsWarningWebhookBody;
	userCreated: UserCreatedWebhookBody;
	userWebhookDisabled: UserWebhookDisabledWebhookBody;
}
