import { defineEndpoint, fail, noContent } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { ReactionRefusal } from '../services/reactions.js';

const refusalErrors = {
	noSuchNote: endpointErrors.noSuchNoteToReact,
	alreadyReacted: endpointErrors.alreadyReacted,
} satisfies Record<ReactionRefusal, unknown>;

/** `notes/reactions/create`: reacts to a note; 204. */
export const notesReactionsCreateEndpoint = defineEndpoint({
	name: 'notes/reactions/create',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			noteId: { type: 'string', format: 'misskey:id' },
			reaction: { type: 'string', minLength: 1, maxLength: 260 },
		},
		required: ['noteId', 'reaction'],
	},
	async handler(params: { noteId: string; reaction: string }, me, services) {
		const reacted = await services.reactions.react(me, params.noteId, params.reaction);
		return reacted.ok ? noContent() : fail(refusalErrors[reacted.reason]);
	},
});
