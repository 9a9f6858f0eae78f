import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import { noteVisibilities, type NoteVisibility } from '../entities/index.js';
import type { NoteCreateRefusal } from '../services/notes.js';

interface NotesCreateParams {
	text?: string | null;
	cw?: string | null;
	replyId?: string | null;
	renoteId?: string | null;
	visibility: NoteVisibility;
	visibleUserIds?: string[];
	localOnly: boolean;
	poll?: { choices: string[]; multiple?: boolean; expiresAt?: number | null; expiredAfter?: number | null } | null;
	fileIds?: string[];
	mediaIds?: string[];
	channelId?: string | null;
}

const refusalErrors = {
	noSuchReplyTarget: endpointErrors.noSuchReplyTarget,
	noSuchRenoteTarget: endpointErrors.noSuchRenoteTarget,
	cannotReplyToPureRenote: endpointErrors.cannotReplyToPureRenote,
	cannotReplyToSpecifiedNoteWithExtendedVisibility: endpointErrors.cannotReplyToSpecifiedNoteWithExtendedVisibility,
	cannotRenotePureRenote: endpointErrors.cannotRenotePureRenote,
	contentRequired: endpointErrors.contentRequired,
	noSuchFile: endpointErrors.noSuchFile,
	cannotCreateAlreadyExpiredPoll: endpointErrors.cannotCreateAlreadyExpiredPoll,
	noSuchChannel: endpointErrors.noSuchChannel,
} satisfies Record<NoteCreateRefusal, unknown>;

const fileIdList = { type: 'array', uniqueItems: true, minItems: 1, maxItems: 16, items: { type: 'string', format: 'misskey:id' } };

/**
 * `notes/create`: posts a note (plain, reply, renote or quote) and answers `{ createdNote }` packed for its author.
 * A direct note (`visibility: 'specified'`) is shown to `visibleUserIds`, as in Misskey: unknown ids are dropped.
 * Misskey's params the packed note shows are kept (`cw`, `localOnly`, `poll`); those naming what this host has none
 * of (files, channels) are refused as Misskey refuses unknown ones, so no param is silently dropped.
 */
export const notesCreateEndpoint = defineEndpoint({
	name: 'notes/create',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			// Misskey's default maxNoteTextLength.
			text: { type: 'string', minLength: 1, maxLength: 3000, nullable: true },
			cw: { type: 'string', maxLength: 100, nullable: true },
			replyId: { type: 'string', format: 'misskey:id', nullable: true },
			renoteId: { type: 'string', format: 'misskey:id', nullable: true },
			visibility: { type: 'string', enum: [...noteVisibilities], default: 'public' },
			visibleUserIds: { type: 'array', uniqueItems: true, items: { type: 'string', format: 'misskey:id' } },
			localOnly: { type: 'boolean', default: false },
			poll: {
				type: 'object',
				nullable: true,
				properties: {
					choices: { type: 'array', uniqueItems: true, minItems: 2, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 50 } },
					multiple: { type: 'boolean' },
					expiresAt: { type: 'integer', nullable: true },
					expiredAfter: { type: 'integer', nullable: true, minimum: 1 },
				},
				required: ['choices'],
			},
			fileIds: fileIdList,
			mediaIds: fileIdList,
			channelId: { type: 'string', format: 'misskey:id', nullable: true },
		},
	},
	async handler(params: NotesCreateParams, me, services) {
		const created = await services.notes.create(me, {
			text: params.text ?? null,
			cw: params.cw ?? null,
			replyId: params.replyId ?? null,
			renoteId: params.renoteId ?? null,
			visibility: params.visibility,
			visibleUserIds: params.visibleUserIds ?? [],
			localOnly: params.localOnly,
			poll: params.poll ? {
				choices: params.poll.choices,
				multiple: params.poll.multiple ?? false,
				expiresAt: params.poll.expiresAt ?? null,
				expiredAfter: params.poll.expiredAfter ?? null,
			} : null,
			// Misskey reads `mediaIds`, the older name, only when `fileIds` is absent.
			fileIds: params.fileIds ?? params.mediaIds ?? [],
			channelId: params.channelId ?? null,
		});
		if (!created.ok) return fail(refusalErrors[created.reason]);
		return ok({ createdNote: await services.packer.note(created.value, { viewerId: me.id, detail: true }) });
	},
});
