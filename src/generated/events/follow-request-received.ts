// Generated from schemas/events/follow-request-received.json by npm run generate; do not edit.
import type { UserLite } from '../user-lite.js';

/**
 * Body of a `followRequestReceived` event (ours, not Misskey's): sent to the local followee of a locked account when someone asks to follow it; `user` is the requester, as for `followed`.
 */
export interface FollowRequestReceivedWebhookBody {
	user: UserLite;
}
