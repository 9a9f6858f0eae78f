// Generated from schemas/events/system/user-created.json by npm run generate; do not edit.
import type { UserLite } from '../../user-lite.js';

/**
 * Body of a `userCreated` event: the new local user as UserLite with no viewer, not wrapped in `{ user }`.
 */
export type UserCreatedWebhookBody = UserLite;
