import type { SystemWebhookEventType, UserWebhookEventType } from '../../events/catalogue.js';
import type { FollowWebhookBody } from '../../generated/events/follow.js';
import type { FollowedWebhookBody } from '../../generated/events/followed.js';
import type { MentionWebhookBody } from '../../generated/events/mention.js';
import type { NoteWebhookBody } from '../../generated/events/note.js';
import type { ReactionWebhookBody } from '../../generated/events/reaction.js';
import type { RenoteWebhookBody } from '../../generated/events/renote.js';
import type { ReplyWebhookBody } from '../../generated/events/reply.js';
import type { UnfollowWebhookBody } from '../../generated/events/unfollow.js';
import type { AbuseReportWebhookBody } from '../../generated/events/system/abuse-report.js';
import type { AbuseReportResolvedWebhookBody } from '../../generated/events/system/abuse-report-resolved.js';
import type { UserCreatedWebhookBody } from '../../generated/events/system/user-created.js';
import type { InactiveModeratorsWarningWebhookBody } from '../../generated/events/system/inactive-moderators-warning.js';
import type { InactiveModeratorsInvitationOnlyChangedWebhookBody } from '../../generated/events/system/inactive-moderators-invitation-only-changed.js';
import type { UserWebhookDisabledWebhookBody } from '../../generated/events/system/user-webhook-disabled.js';

/** The body of each user webhook event, by type (schemas/events/). */
export interface UserEventBodies {
	mention: MentionWebhookBody;
	unfollow: UnfollowWebhookBody;
	follow: FollowWebhookBody;
	followed: FollowedWebhookBody;
	note: NoteWebhookBody;
	reply: ReplyWebhookBody;
	renote: RenoteWebhookBody;
	reaction: ReactionWebhookBody;
}

/** The body of each system webhook event, by type (schemas/events/system/). */
export interface SystemEventBodies {
	abuseReport: AbuseReportWebhookBody;
	abuseReportResolved: AbuseReportResolvedWebhookBody;
	userCreated: UserCreatedWebhookBody;
	inactiveModeratorsWarning: InactiveModeratorsWarningWebhookBody;
	inactiveModeratorsInvitationOnlyChanged: InactiveModeratorsInvitationOnlyChangedWebhookBody;
	userWebhookDisabled: UserWebhookDisabledWebhookBody;
}

export type EventBodies = UserEventBodies & SystemEventBodies;

// Both maps name exactly the catalogue's events: adding an event to the catalogue fails to compile until it has a body here.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const userEventsCovered: SameKeys<keyof UserEventBodies, UserWebhookEventType> = true;
const systemEventsCovered: SameKeys<keyof SystemEventBodies, SystemWebhookEventType> = true;
void userEventsCovered;
void systemEventsCovered;

/** One event to render: its type and its body, typed together. */
export type WebhookEvent = { [Type in keyof EventBodies]: { type: Type; body: EventBodies[Type] } }[keyof EventBodies];

/** What every rendering knows besides the event: the server it happened on and when the delivery was made. */
export interface RenderContext {
	/** The server's origin, without trailing slash (the envelope's `server`). */
	serverUrl: string;
	/** The job's enqueue time, epoch milliseconds (the envelope's `createdAt`): the same on every retry. */
	createdAt: number;
}
