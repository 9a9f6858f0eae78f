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
		dataSource: DataSource,
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
		if (existing) await this.reactions.delete({ id: existing.id });
		await this.reactions.insert({ id: generateHostId(), createdAt: new Date(), noteId, userId: user.id, reaction });

		const author = await this.userService.findById(note.userId);
		if (author) {
			this.relay.raise('reactionCreated', (events) => events.reactionCreated({
				note: { id: note.id, user: { id: author.id, host: author.host } },
				user: { id: user.id, host: user.host },
				reaction,
			}));
		}
		return succeeded(undefined);
	}
}
