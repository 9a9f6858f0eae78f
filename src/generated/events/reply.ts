// Generated from schemas/events/reply.json by npm run generate; do not edit.
import type { Note } from '../note.js';

/**
 * Body of a `reply` event: sent to the local author of the replied note; `note` is the reply.
 */
export interface ReplyWebhookBody {
	note: Note;
}
