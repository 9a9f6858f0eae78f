// Generated from schemas/events/note.json by npm run generate; do not edit.
import type { Note } from '../note.js';

/**
 * Body of a `note` event: sent to the author of every note created, packed with no viewer and not redacted.
 */
export interface NoteWebhookBody {
	note: Note;
}
