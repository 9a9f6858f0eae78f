import { defineEndpoint, fail, noContent } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';

/** `notes/thread-muting/create`: mutes the thread of a note; 204. */
export const notesThreadMutingCreateEndpoint = defineEndpoint({
	name: 'notes/thread-muting/create',
	requireCredential: true,
	params: {
		type: 'object',
		properties: { noteId: { type: 'string', format: 'misskey:id' } },
		required: ['noteId'],
	},
	async handler(params: { noteId: string }, me, services) {
		const muted = await services.threadMuting.mute(me, params.noteId);
		return muted.ok ? noContent() : fail(endpointErrors.noSuchNoteToMute);
	},
});
