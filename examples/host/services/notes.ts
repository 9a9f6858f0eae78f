import { In, type DataSource, type Repository } from 'typeorm';
import { NoteEntity, PollEntity, UserEntity, type NoteVisibility } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import { widenedMentionsOf, type NoteCreatedEvent, type UserRef } from '../../../src/index.js';
import { extractLocalMentions } from './mentions.js';
import type { UserService } from './users.js';

/** A poll as `notes/create` takes it: when it closes, as epoch milliseconds or as milliseconds from now. */
export interface PollDraft {
	choices: string[];
	multiple: boolean;
	expiresAt: number | null;
	expiredAfter: number | null;
}

/** What `notes/create` may set. */
export interface NoteDraft {
	text: string | null;
	cw: string | null;
	replyId: string | null;
	renoteId: string | null;
	visibility: NoteVisibility;
	visibleUserIds: string[];
	localOnly: boolean;
	poll: PollDraft | null;
	/** Drive files to attach (`fileIds`, or the older `mediaIds`); this host has no drive. */
	fileIds: string[];
	/** This host has no channels. */
	channelId: string | null;
}

/** Why a note cannot be created (Misskey's `notes/create` errors). */
export type NoteCreateRefusal =
	| 'noSuchReplyTarget'
	| 'noSuchRenoteTarget'
	| 'cannotReplyToPureRenote'
	| 'cannotReplyToSpecifiedNoteWithExtendedVisibility'
	| 'cannotRenotePureRenote'
	| 'contentRequired'
	| 'noSuchFile'
	| 'cannotCreateAlreadyExpiredPoll'
	| 'noSuchChannel';

/** Why a note cannot be deleted or edited (Misskey's `notes/delete` errors). */
export type NoteChangeRefusal = 'noSuchNote' | 'accessDenied';

const userRef = (user: UserEntity): UserRef => ({ id: user.id, host: user.host });

// A pure renote has a renote and no content of its own; it can be neither replied to nor renoted. A CW, a reply or a
// poll makes it a quote (Misskey isRenote && !isQuote; this host has no files).
function isPureRenote(note: NoteEntity): boolean {
	return note.renoteId !== null && note.text === null && note.cw === null && note.replyId === null && !note.hasPoll;
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
		// No id names a file of the author's drive here, so Misskey's answer to files it cannot find is the only one.
		if (draft.fileIds.length > 0) return refused('noSuchFile');
		const renote = draft.renoteId !== null ? await this.findById(draft.renoteId) : null;
		if (draft.renoteId !== null && !renote) return refused('noSuchRenoteTarget');
		if (renote && isPureRenote(renote)) return refused('cannotRenotePureRenote');

		const reply = draft.replyId !== null ? await this.findById(draft.replyId) : null;
		if (draft.replyId !== null && !reply) return refused('noSuchReplyTarget');
		if (reply && isPureRenote(reply)) return refused('cannotReplyToPureRenote');
		// A reply to a direct note must stay direct, or it would show the conversation to others.
		if (reply && reply.visibility === 'specified' && draft.visibility !== 'specified') return refused('cannotReplyToSpecifiedNoteWithExtendedVisibility');

		if (draft.poll && draft.poll.expiresAt !== null && draft.poll.expiresAt < Date.now()) return refused('cannotCreateAlreadyExpiredPoll');
		if (draft.channelId !== null) return refused('noSuchChannel');

		if (!draft.text && !renote && !draft.poll) return refused('contentRequired');

		// Misskey reads mentions from the CW and the poll's choices as well as from the text, in that order.
		const mentionSources = [draft.text, draft.cw, ...(draft.poll?.choices ?? [])].filter((part) => part !== null);
		const named = await this.userService.findLocalByUsernames(extractLocalMentions(mentionSources.join('\n'), this.serverHost));
		const authors = await this.authorsOf([reply, renote]);
		const ref = (target: NoteEntity | null) => {
			const targetAuthor = target ? authors.get(target.userId) : undefined;
			return target && targetAuthor ? { id: target.id, user: userRef(targetAuthor) } : null;
		};
		const visibleUsers = draft.visibility === 'specified' ? await this.visibleUsers(draft.visibleUserIds, reply ? authors.get(reply.userId) : undefined) : [];
		const pollExpiresAt = draft.poll ? pollExpiry(draft.poll) : null;
		const id = generateHostId();
		const event: NoteCreatedEvent['note'] = {
			id,
			userId: author.id,
			threadId: reply ? reply.threadId ?? reply.id : null,
			reply: ref(reply),
			renote: ref(renote),
			// The mentions written in the note only: the module widens them itself, as it does for any host.
			mentionedUsers: named.map(userRef),
			visibility: draft.visibility,
			visibleUsers: visibleUsers.map(userRef),
		};
		const note = this.notes.create({
			id,
			createdAt: new Date(),
			userId: author.id,
			text: draft.text || null,
			cw: draft.cw,
			replyId: reply?.id ?? null,
			renoteId: renote?.id ?? null,
			threadId: event.threadId ?? null,
			visibility: draft.visibility,
			visibleUserIds: visibleUsers.map((user) => user.id),
			// Misskey stores the widened list: a reply's `mentions` name the replied-to author, a direct note's its audience.
			mentions: widenedMentionsOf(event).map((user) => user.id),
			// As in Misskey, a reply to or renote of a local-only note stays on this server too.
			localOnly: draft.localOnly || reply?.localOnly === true || renote?.localOnly === true,
			hasPoll: draft.poll !== null,
		});
		// The note, its poll and its `noteCreated` commit together: no crash can keep one without the others.
		await this.dataSource.transaction(async (manager) => {
			await manager.insert(NoteEntity, note);
			if (draft.poll) {
				await manager.insert(PollEntity, {
					noteId: id,
					expiresAt: pollExpiresAt,
					multiple: draft.poll.multiple,
					choices: draft.poll.choices,
					votes: draft.poll.choices.map(() => 0),
				});
			}
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

	/**
	 * Misskey `NoteDeleteService.delete`, reduced: the author, or a moderator, deletes a note; raises `noteDeleted` in the
	 * same transaction. Replies and renotes of it stay (this host keeps no cascade).
	 */
	async delete(actor: UserEntity, noteId: string): Promise<Outcome<NoteEntity, NoteChangeRefusal>> {
		const note = await this.findById(noteId);
		if (!note) return refused('noSuchNote');
		if (note.userId !== actor.id && !actor.isModerator && !actor.isAdmin) return refused('accessDenied');
		const deleted = await this.dataSource.transaction(async (manager) => {
			const removed = await manager.delete(NoteEntity, { id: note.id });
			if (!removed.affected) return false;
			const author = await manager.findOneByOrFail(UserEntity, { id: note.userId });
			await this.relay.inTransaction(manager, (events, options) => events.noteDeleted({ note: { id: note.id, user: userRef(author) }, deletedAt: new Date() }, options));
			return true;
		});
		return deleted ? succeeded(note) : refused('noSuchNote');
	}

	/** An edit of the note's text and CW by its author (as forks that edit notes offer); raises `noteEdited` in the same transaction. */
	async edit(author: UserEntity, noteId: string, change: { text: string | null; cw: string | null }): Promise<Outcome<NoteEntity, NoteChangeRefusal>> {
		const note = await this.findById(noteId);
		if (!note) return refused('noSuchNote');
		if (note.userId !== author.id) return refused('accessDenied');
		const edited = await this.dataSource.transaction(async (manager) => {
			await manager.update(NoteEntity, { id: note.id }, { text: change.text, cw: change.cw });
			await this.relay.inTransaction(manager, (events, options) => events.noteEdited({ note: { id: note.id, userId: author.id, visibility: note.visibility } }, options));
			return manager.findOneByOrFail(NoteEntity, { id: note.id });
		});
		return succeeded(edited);
	}

}

// When a poll closes, as Misskey reads the two params: `expiresAt` wins over `expiredAfter`; neither means never.
function pollExpiry(poll: PollDraft): Date | null {
	if (poll.expiresAt !== null) return new Date(poll.expiresAt);
	return poll.expiredAfter !== null ? new Date(Date.now() + poll.expiredAfter) : null;
}
