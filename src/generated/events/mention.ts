// Generated from schemas/events/mention.json by npm run generate; do not edit.
import type { Note } from '../note.js';

/**
 * Body of a `mention` event: sent to each mentioned local user; `note` is packed with that user as viewer.
 */
export interface MentionWebhookBody {
	note: Note;
}
