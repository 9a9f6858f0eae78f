import { In, type DataSource, type Repository } from 'typeorm';
import { NoteEntity, UserEntity, type NoteVisibility } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import { extractLocalMentions } from './mentions.js';
import type { UserService } from './users.js';

/** What `notes/create` may set. */
export interface NoteDraft {
	text: string | null;
	replyId: string | null;
	renoteId: string | null;
	visibility: NoteVisibility;
	visibleUserIds: string[];
}

/** Why a note cannot be created (Misskey's `notes/create` errors). */
export type NoteCreateRefusal =
	| 'noSuchReplyTarget'
	| 'noSuchRenoteTarget'
	| 'cannotReplyToPureRenote'
	| 'cannotRenotePureRenote'
	| 'contentRequired';

// A pure renote has a renote and no content of its own; it can be neither replied to nor renoted (Misskey isPureRenote).
function isPureRenote(note: NoteEntity): boolean {
	return note.renoteId !== null && note.text === null;
}

/** Notes: creation (with mentions, threads and visibility) and lookup. */
export class NoteService {
	private readonly notes: Repository<NoteEntity>;
	private readonly users: Repository<UserEntity>;

	constructor(
		private readonly dataSource: DataSource,
		private readonly userService: UserService,
		private readonly relay: EventRelay,
		private readonly serverHost: string,
	) {
		this.notes = dataSource.getRepository(NoteEntity);
		this.users = dataSource.getRepository(UserEntity);
	}

	findById(id: string): Promise<NoteEntity | null> {
		return this.notes.findOneBy({ id });
	}

	/** Misskey `NoteCreateService.create`, reduced: stores the note and raises `noteCreated` in the same transaction. */
	async create(author: UserEntity, draft: NoteDraft): Promise<Outcome<NoteEntity, NoteCreateRefusal>> {
		const renote = draft.renoteId !== null ? await this.findById(draft.renoteId) : null;
		if (draft.renoteId !== null && !renote) return refused('noSuchRenoteTarget');
		if (renote && isPureRenote(renote)) return refused('cannotRenotePureRenote');

		const reply = draft.replyId !== null ? await this.findById(draft.replyId) : null;
		if (draft.replyId !== null && !reply) return refused('noSuchReplyTarget');
		if (reply && isPureRenote(reply)) return refused('cannotReplyToPureRenote');

		if (!draft.text && !renote) return refused('contentRequired');

		const mentioned = await this.userService.findLocalByUsernames(extractLocalMentions(draft.text, this.serverHost));
		const note = this.notes.create({
			id: generateHostId(),
			createdAt: new Date(),
			userId: author.id,
			text: draft.text || null,
			replyId: reply?.id ?? null,
			renoteId: renote?.id ?? null,
			threadId: reply ? reply.threadId ?? reply.id : null,
			visibility: draft.visibility,
			visibleUserIds: draft.visibility === 'specified' ? await this.visibleUserIds(draft.visibleUserIds, mentioned) : [],
			mentions: mentioned.map((user) => user.id),
		});
		const authors = await this.authorsOf([reply, renote]);
		const ref = (target: NoteEntity | null) => {
			const targetAuthor = target ? authors.get(target.userId) : undefined;
			return target && targetAuthor ? { id: target.id, user: { id: targetAuthor.id, host: targetAuthor.host } } : null;
		};
		// The note and its `noteCreated` commit together: no crash can keep one without the other.
		await this.dataSource.transaction(async (manager) => {
			await manager.insert(NoteEntity, note);
			await this.relay.inTransaction(manager, (events, options) => events.noteCreated({
				note: {
					id: note.id,
					userId: note.userId,
					threadId: note.threadId,
					reply: ref(reply),
					renote: ref(renote),
					mentionedUsers: mentioned.map((user) => ({ id: user.id, host: user.host })),
					visibility: note.visibility,
				},
			}, options));
		});
		return succeeded(note);
	}

	// Misskey adds the mentioned users of a specified note to its audience; unknown ids are dropped.
	private async visibleUserIds(requested: readonly string[], mentioned: readonly UserEntity[]): Promise<string[]> {
		const existing = requested.length > 0 ? await this.users.findBy({ id: In([...requested]) }) : [];
		return [...new Set([...existing.map((user) => user.id), ...mentioned.map((user) => user.id)])];
	}

	private async authorsOf(notes: ReadonlyArray<NoteEntity | null>): Promise<Map<string, UserEntity>> {
		const ids = [...new Set(notes.filter((note): note is NoteEntity => note !== null).map((note) => note.userId))];
		const users = ids.length > 0 ? await this.users.findBy({ id: In(ids) }) : [];
		return new Map(users.map((user) => [user.id, user]));
	}
}
