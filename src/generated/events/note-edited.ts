// Generated from schemas/events/note-edited.json by npm run generate; do not edit.
import type { Note } from '../note.js';

/**
 * Body of a `noteEdited` event (ours, not Misskey's; for servers that let authors edit notes, as Sharkey's `edited`): sent to the local author; `note` is the note after the edit, packed with no viewer and not redacted, as for `note`.
 */
export interface NoteEditedWebhookBody {
	note: Note;
}
