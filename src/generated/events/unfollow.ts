// Generated from schemas/events/unfollow.json by npm run generate; do not edit.
import type { UserDetailedNotMe } from '../user-detailed-not-me.js';

/**
 * Body of an `unfollow` event: sent to the follower; `user` is the followee, packed with the follower as viewer.
 */
export interface UnfollowWebhookBody {
	user: UserDetailedNotMe;
}
