import { In, type DataSource, type Repository } from 'typeorm';
import { FollowingEntity, NoteEntity, NoteReactionEntity, PollEntity, UserEntity } from './entities/index.js';
import type { PackedMe, PackedNote, PackedUserDetailed, PackedUserLite } from './packed-types.js';

// Misskey keeps the last 16 `userId/reaction` pairs on the note for clients to show who reacted.
const REACTION_PAIR_CACHE_SIZE = 16;

/** How a note is packed: from whose point of view, and whether `reply`/`renote` and detail counters are joined. */
export interface NotePackOptions {
	/** null: no viewer and nothing redacted (Misskey `skipHide`); otherwise hidden content is redacted for them. */
	viewerId: string | null;
	detail: boolean;
}

/** Packs host rows into Misskey's JSON shapes (UserEntityService / NoteEntityService): dates as ISO strings, absent keys omitted. */
export class Packer {
	private readonly users: Repository<UserEntity>;
	private readonly notes: Repository<NoteEntity>;
	private readonly followings: Repository<FollowingEntity>;
	private readonly reactions: Repository<NoteReactionEntity>;
	private readonly polls: Repository<PollEntity>;

	constructor(dataSource: DataSource, private readonly serverUrl: string) {
		this.users = dataSource.getRepository(UserEntity);
		this.notes = dataSource.getRepository(NoteEntity);
		this.followings = dataSource.getRepository(FollowingEntity);
		this.reactions = dataSource.getRepository(NoteReactionEntity);
		this.polls = dataSource.getRepository(PollEntity);
	}

	/** Misskey `UserLite`: this host has no avatars, decorations, emojis or roles, so those are the empty defaults. */
	userLite(user: UserEntity): PackedUserLite {
		return {
			id: user.id,
			name: user.name,
			username: user.username,
			host: user.host,
			avatarUrl: `${this.serverUrl}/identicon/${encodeURIComponent(user.username)}`,
			avatarBlurhash: null,
			avatarDecorations: [],
			isBot: false,
			isCat: false,
			emojis: {},
			onlineStatus: 'unknown',
			badgeRoles: [],
		};
	}

	/** Misskey `UserDetailedNotMe` as `viewerId` sees it; relationship fields only for another user as viewer. */
	async userDetailed(user: UserEntity, viewerId: string | null): Promise<PackedUserDetailed> {
		const viewer = viewerId ? await this.users.findOneBy({ id: viewerId }) : null;
		const isMe = viewer?.id === user.id;
		const viewerIsModerator = viewer !== null && (viewer.isAdmin || viewer.isModerator);
		const relation = viewer && !isMe ? await this.relation(viewer.id, user.id) : null;
		const [followersCount, followingCount, notesCount] = await Promise.all([
			this.followings.countBy({ followeeId: user.id }),
			this.followings.countBy({ followerId: user.id }),
			this.notes.countBy({ userId: user.id }),
		]);
		return {
			...this.userLite(user),
			url: null,
			uri: null,
			movedTo: null,
			alsoKnownAs: null,
			createdAt: user.createdAt.toISOString(),
			updatedAt: user.updatedAt?.toISOString() ?? null,
			lastFetchedAt: null,
			bannerUrl: null,
			bannerBlurhash: null,
			isLocked: user.isLocked,
			isSilenced: false,
			isSuspended: false,
			description: null,
			location: null,
			birthday: null,
			lang: null,
			fields: [],
			verifiedLinks: [],
			followersCount,
			followingCount,
			notesCount,
			pinnedNoteIds: [],
			pinnedNotes: [],
			pinnedPageId: null,
			pinnedPage: null,
			publicReactions: true,
			followersVisibility: 'public',
			followingVisibility: 'public',
			chatScope: 'mutual',
			canChat: relation !== null && relation.isFollowing && relation.isFollowed,
			roles: [],
			memo: null,
			...(viewerIsModerator ? { moderationNote: '' } : {}),
			...(isMe || viewerIsModerator ? { twoFactorEnabled: false, usePasswordLessLogin: false, securityKeys: false } : {}),
			...(relation ? {
				isFollowing: relation.isFollowing,
				isFollowed: relation.isFollowed,
				hasPendingFollowRequestFromYou: false,
				hasPendingFollowRequestToYou: false,
				isBlocking: false,
				isBlocked: false,
				isMuted: false,
				isRenoteMuted: false,
				notify: 'none' as const,
				withReplies: false,
			} : {}),
		};
	}

	/** The caller's own account (Misskey's MeDetailed, reduced to what this host has). */
	async me(user: UserEntity): Promise<PackedMe> {
		return { ...(await this.userDetailed(user, user.id)), isAdmin: user.isAdmin, isModerator: user.isModerator };
	}

	/** Misskey `Note`; with `detail`, `reply` is joined without detail and `renote` with detail. */
	async note(note: NoteEntity, options: NotePackOptions): Promise<PackedNote> {
		const { viewerId, detail } = options;
		const author = await this.users.findOneByOrFail({ id: note.userId });
		const reactionRows = await this.reactions.find({ where: { noteId: note.id }, order: { id: 'DESC' } });
		const [renoteCount, repliesCount] = await Promise.all([
			this.notes.countBy({ renoteId: note.id }),
			this.notes.countBy({ replyId: note.id }),
		]);
		const reactions: Record<string, number> = {};
		for (const row of reactionRows) reactions[row.reaction] = (reactions[row.reaction] ?? 0) + 1;
		const hidden = viewerId !== null && !(await this.isVisibleTo(note, viewerId));
		const joined = detail ? await this.joinedNotes(note, viewerId) : {};
		// Misskey packs the poll with detail only, and drops it, with the text and the CW, when the note is hidden.
		const poll = detail && note.hasPoll && !hidden ? await this.poll(note.id) : undefined;

		return {
			id: note.id,
			createdAt: note.createdAt.toISOString(),
			userId: note.userId,
			user: this.userLite(author),
			text: hidden ? null : note.text,
			cw: hidden ? null : note.cw,
			visibility: note.visibility,
			localOnly: note.localOnly,
			reactionAcceptance: null,
			reactionEmojis: {},
			reactions,
			reactionCount: reactionRows.length,
			renoteCount,
			repliesCount,
			emojis: {},
			// Misskey leaves `tags` out when the note has none; this host extracts no hashtags, so it never has any.
			fileIds: [],
			files: [],
			replyId: note.replyId,
			renoteId: note.renoteId,
			// Misskey leaves `mentions` out when the note mentions nobody.
			...(note.mentions.length > 0 ? { mentions: note.mentions } : {}),
			// Misskey packs the audience of a direct note only, and drops it when the note is hidden from the viewer.
			...(hidden ? { isHidden: true } : note.visibility === 'specified' ? { visibleUserIds: note.visibleUserIds } : {}),
			...(detail ? {
				clippedCount: 0,
				reactionAndUserPairCache: reactionRows.slice(0, REACTION_PAIR_CACHE_SIZE).map((row) => `${row.userId}/${row.reaction}`),
				...joined,
				...(poll ? { poll } : {}),
			} : {}),
			...(viewerId !== null ? { myReaction: reactionRows.find((row) => row.userId === viewerId)?.reaction ?? null } : {}),
		};
	}

	/** Misskey's packed poll; this host takes no votes, so nobody has voted for any choice. */
	private async poll(noteId: string): Promise<NonNullable<PackedNote['poll']>> {
		const poll = await this.polls.findOneByOrFail({ noteId });
		return {
			multiple: poll.multiple,
			expiresAt: poll.expiresAt?.toISOString() ?? null,
			choices: poll.choices.map((text, index) => ({ text, votes: poll.votes[index] ?? 0, isVoted: false })),
		};
	}

	private async joinedNotes(note: NoteEntity, viewerId: string | null): Promise<Pick<PackedNote, 'reply' | 'renote'>> {
		const ids = [note.replyId, note.renoteId].filter((id): id is string => id !== null);
		const targets = ids.length > 0 ? await this.notes.findBy({ id: In(ids) }) : [];
		const byId = new Map(targets.map((target) => [target.id, target]));
		const joined: Pick<PackedNote, 'reply' | 'renote'> = {};
		// A target that is gone packs as null, as in Misskey.
		if (note.replyId !== null) {
			const reply = byId.get(note.replyId);
			joined.reply = reply ? await this.note(reply, { viewerId, detail: false }) : null;
		}
		if (note.renoteId !== null) {
			const renote = byId.get(note.renoteId);
			joined.renote = renote ? await this.note(renote, { viewerId, detail: true }) : null;
		}
		return joined;
	}

	/** Misskey `isVisibleForMe`: followers-only and specified notes are hidden from those they are not meant for. */
	private async isVisibleTo(note: NoteEntity, viewerId: string): Promise<boolean> {
		if (note.userId === viewerId) return true;
		switch (note.visibility) {
			case 'public':
			case 'home':
				return true;
			case 'specified':
				return note.visibleUserIds.includes(viewerId);
			case 'followers': {
				if (note.mentions.includes(viewerId)) return true;
				if (note.replyId !== null && (await this.notes.existsBy({ id: note.replyId, userId: viewerId }))) return true;
				return this.followings.existsBy({ followerId: viewerId, followeeId: note.userId });
			}
		}
	}

	private async relation(viewerId: string, userId: string): Promise<{ isFollowing: boolean; isFollowed: boolean }> {
		const [isFollowing, isFollowed] = await Promise.all([
			this.followings.existsBy({ followerId: viewerId, followeeId: userId }),
			this.followings.existsBy({ followerId: userId, followeeId: viewerId }),
		]);
		return { isFollowing, isFollowed };
	}
}
