import type { HostAdapter, UserRef } from '../../src/host.js';
import { EntityGoneError } from '../../src/index.js';
import type { Note } from '../../src/generated/note.js';
import type { UserLite } from '../../src/generated/user-lite.js';
import type { UserDetailedNotMe } from '../../src/generated/user-detailed-not-me.js';

/** A user the test host knows. */
export interface PackingHostUser extends UserRef {
	username: string;
}

/** A note the test host knows. */
export interface PackingHostNote {
	id: string;
	userId: string;
	text: string | null;
	replyId?: string | null;
	renoteId?: string | null;
	visibility?: Note['visibility'];
}

/** One call the module made to the adapter, for counting and for asserting viewers. */
export type PackingCall =
	| { method: 'isThreadMuted'; userId: string; threadId: string }
	| { method: 'packNote'; noteId: string; viewerId: string | null }
	| { method: 'packUserLite'; userId: string }
	| { method: 'packUserDetailed'; userId: string; viewerId: string | null };

const CREATED_AT = '2025-09-08T00:00:00.000Z';

/**
 * An in-memory host adapter: users and notes in maps, packed into plausible Misskey shapes valid against the schemas.
 * Records every call, and throws for the calls `failWhen` picks, as a broken packer would.
 */
export class PackingHost implements HostAdapter {
	readonly users = new Map<string, PackingHostUser>();
	readonly notes = new Map<string, PackingHostNote>();
	/** `${userId} ${threadId}` pairs: that user muted that thread. */
	readonly threadMutes = new Set<string>();
	readonly calls: PackingCall[] = [];
	failWhen: (call: PackingCall) => boolean = () => false;
	/** Calls that throw `EntityGoneError`, as a host's packer does for a note or user deleted since the event. */
	goneWhen: (call: PackingCall) => boolean = () => false;

	addUser(id: string, host: string | null = null): UserRef {
		this.users.set(id, { id, host, username: id });
		return { id, host };
	}

	addNote(note: PackingHostNote): PackingHostNote {
		this.notes.set(note.id, note);
		return note;
	}

	muteThread(userId: string, threadId: string): void {
		this.threadMutes.add(`${userId} ${threadId}`);
	}

	/** The calls made with `method`. */
	callsOf<M extends PackingCall['method']>(method: M): Array<Extract<PackingCall, { method: M }>> {
		return this.calls.filter((call): call is Extract<PackingCall, { method: M }> => call.method === method);
	}

	async authenticate(): Promise<null> {
		return null;
	}

	async isThreadMuted(userId: string, threadId: string): Promise<boolean> {
		this.record({ method: 'isThreadMuted', userId, threadId });
		return this.threadMutes.has(`${userId} ${threadId}`);
	}

	async packNote(noteId: string, viewerId: string | null): Promise<Note> {
		this.record({ method: 'packNote', noteId, viewerId });
		return this.note(noteId, viewerId, true);
	}

	async packUserLite(userId: string): Promise<UserLite> {
		this.record({ method: 'packUserLite', userId });
		return this.userLite(userId);
	}

	async packUserDetailed(userId: string, viewerId: string | null): Promise<UserDetailedNotMe> {
		this.record({ method: 'packUserDetailed', userId, viewerId });
		const user = this.user(userId);
		const detailed: UserDetailedNotMe = {
			...this.userLite(userId),
			url: null,
			uri: user.host === null ? null : `https://${user.host}/users/${user.id}`,
			movedTo: null,
			alsoKnownAs: null,
			createdAt: CREATED_AT,
			updatedAt: null,
			lastFetchedAt: null,
			bannerUrl: null,
			bannerBlurhash: null,
			isLocked: false,
			isSilenced: false,
			isSuspended: false,
			description: null,
			location: null,
			birthday: null,
			lang: null,
			fields: [],
			verifiedLinks: [],
			followersCount: 0,
			followingCount: 0,
			notesCount: 0,
			pinnedNoteIds: [],
			pinnedNotes: [],
			pinnedPageId: null,
			pinnedPage: null,
			publicReactions: true,
			followingVisibility: 'public',
			followersVisibility: 'public',
			chatScope: 'mutual',
			canChat: true,
			roles: [],
			memo: null,
		};
		if (viewerId === null) return detailed;
		return {
			...detailed,
			isFollowing: false,
			isFollowed: false,
			hasPendingFollowRequestFromYou: false,
			hasPendingFollowRequestToYou: false,
			isBlocking: false,
			isBlocked: false,
			isMuted: false,
			isRenoteMuted: false,
			notify: 'none',
			withReplies: false,
		};
	}

	private record<C extends PackingCall>(call: C): C {
		this.calls.push(call);
		if (this.failWhen(call)) throw new Error(`packing host refused ${call.method}`);
		if (this.goneWhen(call)) throw new EntityGoneError(`packing host: gone for ${call.method}`);
		return call;
	}

	private user(id: string): PackingHostUser {
		const user = this.users.get(id);
		if (!user) throw new Error(`unknown user ${id}`);
		return user;
	}

	private userLite(id: string): UserLite {
		const user = this.user(id);
		const lite: UserLite = {
			id: user.id,
			name: null,
			username: user.username,
			host: user.host,
			avatarUrl: `https://local.example/identicon/${user.id}`,
			avatarBlurhash: null,
			avatarDecorations: [],
			isBot: false,
			isCat: false,
			emojis: {},
			onlineStatus: 'unknown',
		};
		return user.host === null
			? { ...lite, badgeRoles: [] }
			: { ...lite, instance: { name: user.host, softwareName: 'misskey', softwareVersion: null, iconUrl: null, faviconUrl: null, themeColor: null } };
	}

	// Misskey packs the reply target without detail and the renote target with detail.
	private note(id: string, viewerId: string | null, detail: boolean): Note {
		const note = this.notes.get(id);
		if (!note) throw new Error(`unknown note ${id}`);
		const packed: Note = {
			id: note.id,
			createdAt: CREATED_AT,
			text: note.text,
			cw: null,
			userId: note.userId,
			user: this.userLite(note.userId),
			visibility: note.visibility ?? 'public',
			mentions: [],
			fileIds: [],
			files: [],
			replyId: note.replyId ?? null,
			renoteId: note.renoteId ?? null,
			reactionAcceptance: null,
			reactionEmojis: {},
			reactions: {},
			reactionCount: 0,
			renoteCount: 0,
			repliesCount: 0,
		};
		if (!detail) return packed;
		return {
			...packed,
			clippedCount: 0,
			reply: note.replyId ? this.note(note.replyId, viewerId, false) : null,
			renote: note.renoteId ? this.note(note.renoteId, viewerId, true) : null,
			poll: null,
			reactionAndUserPairCache: [],
			...(viewerId === null ? {} : { myReaction: null }),
		};
	}
}
