import { In, type DataSource, type Repository } from 'typeorm';
import { NoteEntity, UserEntity, type NoteVisibility } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import { mentionedUsersOf, type NoteCreatedEvent, type UserRef } from '../../../src/index.js';
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
	| 'cannotReplyToSpecifiedNoteWithExtendedVisibility'
	| 'cannotRenotePureRenote'
	| 'contentRequired';

const userRef = (user: UserEntity): UserRef => ({ id: user.id, host: user.host });

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
		// A reply to a direct note must stay direct, or it would show the conversation to others.
		if (reply && reply.visibility === 'specified' && draft.visibility !== 'specified') return refused('cannotReplyToSpecifiedNoteWithExtendedVisibility');

		if (!draft.text && !renote) return refused('contentRequired');

		const named = await this.userService.findLocalByUsernames(extractLocalMentions(draft.text, this.serverHost));
		const authors = await this.authorsOf([reply, renote]);
		const ref = (target: NoteEntity | null) => {
			const targetAuthor = target ? authors.get(target.userId) : undefined;
			return target && targetAuthor ? { id: target.id, user: userRef(targetAuthor) } : null;
		};
		const visibleUsers = draft.visibility === 'specified' ? await this.visibleUsers(draft.visibleUserIds, reply ? authors.get(reply.userId) : undefined) : [];
		const id = generateHostId();
		const event: NoteCreatedEvent['note'] = {
			id,
			userId: author.id,
			threadId: reply ? reply.threadId ?? reply.id : null,
			reply: ref(reply),
			renote: ref(renote),
			// The text's mentions only: the module widens them itself, as it does for any host.
			mentionedUsers: named.map(userRef),
			visibility: draft.visibility,
			visibleUsers: visibleUsers.map(userRef),
		};
		const note = this.notes.create({
			id,
			createdAt: new Date(),
			userId: author.id,
			text: draft.text || null,
			replyId: reply?.id ?? null,
			renoteId: renote?.id ?? null,
			threadId: event.threadId ?? null,
			visibility: draft.visibility,
			visibleUserIds: visibleUsers.map((user) => user.id),
			// Misskey stores the widened list: a reply's `mentions` name the replied-to author, a direct note's its audience.
			mentions: mentionedUsersOf(event).map((user) => user.id),
		});
		// The note and its `noteCreated` commit together: no crash can keep one without the other.
		await this.dataSource.transaction(async (manager) => {
			await manager.insert(NoteEntity, note);
			await this.relay.inTransaction(manager, (events, options) => events.noteCreated({ note: event }, options));
		});
		return succeeded(note);
	}

	/**
	 * A direct note's audience as Misskey keeps it: the requested users that exist (unknown ids are dropped), plus the
	 * author of the note replied to, so they can read the reply. Misskey's server does not add the mentioned users.
	 */
	private async visibleUsers(requested: readonly string[], replyAuthor: UserEntity | undefined): Promise<UserEntity[]> {
		const existing = requested.length > 0 ? await this.users.findBy({ id: In([...requested]) }) : [];
		// findBy answers in no particular order; keep the order the author gave.
		const byId = new Map(existing.map((user) => [user.id, user]));
		const users = requested.map((id) => byId.get(id)).filter((user): user is UserEntity => user !== undefined);
		if (replyAuthor && !users.some((user) => user.id === replyAuthor.id)) users.push(replyAuthor);
		return users;
	}

	private async authorsOf(notes: ReadonlyArray<NoteEntity | null>): Promise<Map<string, UserEntity>> {
		const ids = [...new Set(notes.filter((note): note is NoteEntity => note !== null).map((note) => note.userId))];
		const users = ids.length > 0 ? await this.users.findBy({ id: In(ids) }) : [];
		return new Map(users.map((user) => [user.id, user]));
	}
}
