// Generated from schemas/events/follow-request-accepted.json by npm run generate; do not edit.
import type { UserDetailedNotMe } from '../user-detailed-not-me.js';

/**
 * Body of a `followRequestAccepted` event (ours, not Misskey's): sent to the local requester when the followee accepts their follow request; `user` is the followee, packed with the requester as viewer, as for `follow`.
 */
export interface FollowRequestAcceptedWebhookBody {
	user: UserDetailedNotMe;
}
