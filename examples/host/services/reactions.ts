import type { DataSource, Repository } from 'typeorm';
import { NoteReactionEntity, type UserEntity } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { NoteService } from './notes.js';
import type { UserService } from './users.js';

/** Why a reaction is refused (Misskey's `notes/reactions/create` errors). */
export type ReactionRefusal = 'noSuchNote' | 'alreadyReacted';

/** Reactions: one per user and note, as in Misskey. */
export class ReactionService {
	private readonly reactions: Repository<NoteReactionEntity>;

	constructor(
		private readonly dataSource: DataSource,
		private readonly noteService: NoteService,
		private readonly userService: UserService,
		private readonly relay: EventRelay,
	) {
		this.reactions = dataSource.getRepository(NoteReactionEntity);
	}

	/**
	 * Misskey `ReactionService.create`: the same reaction again is refused, a different one replaces the old.
	 * Raises `reactionCreated` once stored.
	 */
	async react(user: UserEntity, noteId: string, reaction: string): Promise<Outcome<void, ReactionRefusal>> {
		const note = await this.noteService.findById(noteId);
		if (!note) return refused('noSuchNote');
		const existing = await this.reactions.findOneBy({ noteId, userId: user.id });
		if (existing?.reaction === reaction) return refused('alreadyReacted');
		const author = await this.userService.findById(note.userId);
		// The reaction and its `reactionCreated` commit together.
		await this.dataSource.transaction(async (manager) => {
			if (existing) await manager.delete(NoteReactionEntity, { id: existing.id });
			await manager.insert(NoteReactionEntity, { id: generateHostId(), createdAt: new Date(), noteId, userId: user.id, reaction });
			if (!author) return;
			await this.relay.inTransaction(manager, (events, options) => events.reactionCreated({
				note: { id: note.id, user: { id: author.id, host: author.host } },
				user: { id: user.id, host: user.host },
				reaction,
			}, options));
		});
		return succeeded(undefined);
	}
}
