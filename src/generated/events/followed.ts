// Generated from schemas/events/followed.json by npm run generate; do not edit.
import type { UserLite } from '../user-lite.js';

/**
 * Body of a `followed` event: sent to the followee; `user` is the follower.
 */
export interface FollowedWebhookBody {
	user: UserLite;
}
