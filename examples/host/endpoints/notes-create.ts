import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import { noteVisibilities, type NoteVisibility } from '../entities/index.js';
import type { NoteCreateRefusal } from '../services/notes.js';

interface NotesCreateParams {
	text?: string | null;
	replyId?: string | null;
	renoteId?: string | null;
	visibility: NoteVisibility;
	visibleUserIds?: string[];
}

const refusalErrors = {
	noSuchReplyTarget: endpointErrors.noSuchReplyTarget,
	noSuchRenoteTarget: endpointErrors.noSuchRenoteTarget,
	cannotReplyToPureRenote: endpointErrors.cannotReplyToPureRenote,
	cannotReplyToSpecifiedNoteWithExtendedVisibility: endpointErrors.cannotReplyToSpecifiedNoteWithExtendedVisibility,
	cannotRenotePureRenote: endpointErrors.cannotRenotePureRenote,
	contentRequired: endpointErrors.contentRequired,
} satisfies Record<NoteCreateRefusal, unknown>;

/**
 * `notes/create`: posts a note (plain, reply, renote or quote) and answers `{ createdNote }` packed for its author.
 * A direct note (`visibility: 'specified'`) is shown to `visibleUserIds`, as in Misskey: unknown ids are dropped.
 */
export const notesCreateEndpoint = defineEndpoint({
	name: 'notes/create',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			// Misskey's default maxNoteTextLength.
			text: { type: 'string', minLength: 1, maxLength: 3000, nullable: true },
			replyId: { type: 'string', format: 'misskey:id', nullable: true },
			renoteId: { type: 'string', format: 'misskey:id', nullable: true },
			visibility: { type: 'string', enum: [...noteVisibilities], default: 'public' },
			visibleUserIds: { type: 'array', uniqueItems: true, items: { type: 'string', format: 'misskey:id' } },
		},
	},
	async handler(params: NotesCreateParams, me, services) {
		const created = await services.notes.create(me, {
			text: params.text ?? null,
			replyId: params.replyId ?? null,
			renoteId: params.renoteId ?? null,
			visibility: params.visibility,
			visibleUserIds: params.visibleUserIds ?? [],
		});
		if (!created.ok) return fail(refusalErrors[created.reason]);
		return ok({ createdNote: await services.packer.note(created.value, { viewerId: me.id, detail: true }) });
	},
});
