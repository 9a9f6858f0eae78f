// Generated from schemas/events/renote.json by npm run generate; do not edit.
import type { Note } from '../note.js';

/**
 * Body of a `renote` event: sent to the local author of the renoted note; `note` is the renote or quote.
 */
export interface RenoteWebhookBody {
	note: Note;
}
