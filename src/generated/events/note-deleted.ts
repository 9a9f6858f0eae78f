// Generated from schemas/events/note-deleted.json by npm run generate; do not edit.
import type { UserLite } from '../user-lite.js';

/**
 * Body of a `noteDeleted` event (ours, not Misskey's): sent to the local author when one of their notes is deleted, by themselves or by a moderator. The note is gone, so only what identifies it is sent: its id, its author and when it was deleted.
 */
export interface NoteDeletedWebhookBody {
	note: {
		/**
		 * The deleted note's id.
		 */
		id: string;
		/**
		 * The author.
		 */
		userId: string;
		/**
		 * The author as UserLite.
		 */
		user: UserLite;
		/**
		 * When the note was deleted.
		 */
		deletedAt: string;
	};
}
