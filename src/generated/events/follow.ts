// Generated from schemas/events/follow.json by npm run generate; do not edit.
import type { UserDetailedNotMe } from '../user-detailed-not-me.js';

/**
 * Body of a `follow` event: sent to the follower; `user` is the followee, packed with the follower as viewer.
 */
export interface FollowWebhookBody {
	user: UserDetailedNotMe;
}
