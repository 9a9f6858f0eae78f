import { defineEndpoint, fail, noContent, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { NoteChangeRefusal } from '../services/notes.js';

const refusalErrors = {
	noSuchNote: endpointErrors.noSuchNoteToDelete,
	accessDenied: endpointErrors.accessDeniedToDelete,
} satisfies Record<NoteChangeRefusal, unknown>;

/** `notes/delete`: the author, or a moderator, deletes a note; 204. */
export const notesDeleteEndpoint = defineEndpoint({
	name: 'notes/delete',
	requireCredential: true,
	params: {
		type: 'object',
		properties: { noteId: { type: 'string', format: 'misskey:id' } },
		required: ['noteId'],
	},
	async handler(params: { noteId: string }, me, services) {
		const deleted = await services.notes.delete(me, params.noteId);
		return deleted.ok ? noContent() : fail(refusalErrors[deleted.reason]);
	},
});

/** `notes/edit` (Misskey has none; forks such as Sharkey do): the author changes a note's text and CW; answers the note. */
export const notesEditEndpoint = defineEndpoint({
	name: 'notes/edit',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			noteId: { type: 'string', format: 'misskey:id' },
			text: { type: ['string', 'null'], minLength: 1, maxLength: 3000 },
			cw: { type: ['string', 'null'], maxLength: 100 },
		},
		required: ['noteId', 'text'],
	},
	async handler(params: { noteId: string; text: string | null; cw?: string | null }, me, services) {
		const edited = await services.notes.edit(me, params.noteId, { text: params.text, cw: params.cw ?? null });
		if (!edited.ok) return fail(refusalErrors[edited.reason]);
		return ok({ createdNote: await services.packer.note(edited.value, { viewerId: me.id, detail: true }) });
	},
});
