// Generated from schemas/events/reaction.json by npm run generate; do not edit.
import type { Note } from '../note.js';
import type { UserLite } from '../user-lite.js';

/**
 * Body of a `reaction` event (our addition: Misskey never emits it). Sent to the local author of the reacted note when another user reacts; `note` is the reacted note packed with no viewer, `reaction` the reaction string as stored (a Unicode emoji or `:name@host:`/`:name@.:`), `user` the reacting user as UserLite.
 */
export interface ReactionWebhookBody {
	note: Note;
	reaction: string;
	user: UserLite;
}
