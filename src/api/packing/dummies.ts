// Payloads of the user-webhook test endpoint, matching Misskey's WebhookTestService field for field:
// receivers compare test deliveries with real ones, so key order and values are kept as Misskey sends them.
import type { UserWebhookEventType } from '../../events/catalogue.js';
import type { Note } from '../../generated/note.js';
import type { UserLite } from '../../generated/user-lite.js';
import type { UserDetailedNotMe } from '../../generated/user-detailed-not-me.js';
import type { NoteWebhookBody } from '../../generated/events/note.js';
import type { ReplyWebhookBody } from '../../generated/events/reply.js';
import type { RenoteWebhookBody } from '../../generated/events/renote.js';
import type { MentionWebhookBody } from '../../generated/events/mention.js';
import type { FollowWebhookBody } from '../../generated/events/follow.js';
import type { FollowedWebhookBody } from '../../generated/events/followed.js';
import type { UnfollowWebhookBody } from '../../generated/events/unfollow.js';
import type { NoteEditedWebhookBody } from '../../generated/events/note-edited.js';
import type { NoteDeletedWebhookBody } from '../../generated/events/note-deleted.js';
import type { FollowRequestReceivedWebhookBody } from '../../generated/events/follow-request-received.js';
import type { FollowRequestAcceptedWebhookBody } from '../../generated/events/follow-request-accepted.js';

const dayMs = 24 * 60 * 60 * 1000;

interface DummyUser {
	id: string;
	username: string;
	name: string;
	followersCount: number;
	followingCount: number;
	notesCount: number;
	updatedDaysAgo: number;
	lastFetchedDaysAgo: number;
}

/** Which of Misskey's three dummy users (dummyUser1..3). */
export type DummyUserNumber = 1 | 2 | 3;

// lastFetchedAt for users 2 and 3 follows Misskey's code (now − 1 d / − 2 d); only user 3 sends it.
const dummyUsers: Record<DummyUserNumber, DummyUser> = {
	1: {
		id: 'dummy-user-1', username: 'dummy1', name: 'DummyUser1',
		followersCount: 10, followingCount: 5, notesCount: 30, updatedDaysAgo: 7, lastFetchedDaysAgo: 5,
	},
	2: {
		id: 'dummy-user-2', username: 'dummy2', name: 'DummyUser2',
		followersCount: 40, followingCount: 50, notesCount: 900, updatedDaysAgo: 30, lastFetchedDaysAgo: 1,
	},
	3: {
		id: 'dummy-user-3', username: 'dummy3', name: 'DummyUser3',
		followersCount: 60, followingCount: 70, notesCount: 15900, updatedDaysAgo: 15, lastFetchedDaysAgo: 2,
	},
};

function daysAgo(now: Date, days: number): string {
	return new Date(now.getTime() - days * dayMs).toISOString();
}

/** A dummy user packed as UserLite (local, no avatar, a cat). */
export function dummyUserLite(n: DummyUserNumber): UserLite {
	const user = dummyUsers[n];
	return {
		id: user.id,
		name: user.name,
		username: user.username,
		host: null,
		// Misskey sends '' rather than an identicon URL for the avatar-less dummies.
		avatarUrl: '',
		avatarBlurhash: null,
		avatarDecorations: [],
		isBot: false,
		isCat: true,
		emojis: {},
		onlineStatus: 'active',
		badgeRoles: [],
	};
}

/** A dummy user packed as UserDetailedNotMe, with `createdAt` = now and relationship flags all false. */
export function dummyUserDetailedNotMe(n: DummyUserNumber, now: Date = new Date()): UserDetailedNotMe {
	const user = dummyUsers[n];
	return {
		...dummyUserLite(n),
		url: null,
		uri: null,
		movedTo: null,
		alsoKnownAs: [],
		createdAt: now.toISOString(),
		updatedAt: daysAgo(now, user.updatedDaysAgo),
		lastFetchedAt: daysAgo(now, user.lastFetchedDaysAgo),
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
		followersCount: user.followersCount,
		followingCount: user.followingCount,
		notesCount: user.notesCount,
		pinnedNoteIds: [],
		pinnedNotes: [],
		pinnedPageId: null,
		pinnedPage: null,
		publicReactions: true,
		followersVisibility: 'public',
		followingVisibility: 'public',
		chatScope: 'mutual',
		canChat: true,
		twoFactorEnabled: false,
		usePasswordLessLogin: false,
		securityKeys: false,
		roles: [],
		memo: null,
		isFollowing: false,
		isFollowed: false,
		hasPendingFollowRequestFromYou: false,
		hasPendingFollowRequestToYou: false,
		isBlocking: false,
		isBlocked: false,
		isMuted: false,
		isRenoteMuted: false,
		notify: 'none',
		withReplies: true,
	};
}

/** Misskey's four dummy notes. */
export type DummyNoteName = 'dummyNote1' | 'dummyReply1' | 'dummyRenote1' | 'dummyMention1';

interface DummyNote {
	id: string;
	author: DummyUserNumber;
	text: string | null;
	replyId: string | null;
	renoteId: string | null;
	mentions: string[];
}

const dummyNoteText = 'This is a dummy note for testing purposes.';

const dummyNotes: Record<DummyNoteName, DummyNote> = {
	dummyNote1: { id: 'dummy-note-1', author: 1, text: dummyNoteText, replyId: null, renoteId: null, mentions: [] },
	dummyReply1: {
		id: 'dummy-reply-1', author: 1, text: dummyNoteText, replyId: 'dummy-note-1', renoteId: null, mentions: [],
	},
	dummyRenote1: { id: 'dummy-renote-1', author: 2, text: null, replyId: null, renoteId: 'dummy-note-1', mentions: [] },
	dummyMention1: {
		id: 'dummy-mention-1',
		author: 1,
		text: `@${dummyUsers[2].username} This is a mention to you.`,
		replyId: null,
		renoteId: null,
		mentions: [dummyUsers[2].id],
	},
};

const noteNameById = new Map(Object.entries(dummyNotes).map(([name, note]) => [note.id, name as DummyNoteName]));

function packTarget(id: string | null, detail: boolean, now: Date): Note | null {
	const name = id === null ? undefined : noteNameById.get(id);
	return name === undefined ? null : dummyPackedNote(name, now, detail);
}

/**
 * A dummy note packed like Misskey's test endpoint does; `detail` adds `clippedCount`, `myReaction`
 * and the embedded `reply` (packed without detail) and `renote` (packed with detail).
 */
export function dummyPackedNote(name: DummyNoteName, now: Date = new Date(), detail = true): Note {
	const note = dummyNotes[name];
	const packed: Note = {
		id: note.id,
		createdAt: now.toISOString(),
		deletedAt: null,
		text: note.text,
		cw: null,
		userId: dummyUsers[note.author].id,
		user: dummyUserLite(note.author),
		replyId: note.replyId,
		renoteId: note.renoteId,
		isHidden: false,
		visibility: 'public',
		mentions: [...note.mentions],
		visibleUserIds: [],
		fileIds: [],
		files: [],
		tags: [],
		poll: null,
		emojis: {},
		channelId: null,
		channel: null,
		localOnly: true,
		reactionAcceptance: 'likeOnly',
		reactionEmojis: {},
		reactions: {},
		reactionCount: 0,
		renoteCount: 10,
		repliesCount: 5,
		reactionAndUserPairCache: [],
	};
	if (!detail) return packed;
	return {
		...packed,
		clippedCount: 0,
		reply: packTarget(note.replyId, false, now),
		renote: packTarget(note.renoteId, true, now),
		myReaction: null,
	};
}

/** Any body the test endpoint sends for a user event. */
export type DummyUserWebhookBody =
	| NoteWebhookBody
	| ReplyWebhookBody
	| RenoteWebhookBody
	| MentionWebhookBody
	| FollowWebhookBody
	| FollowedWebhookBody
	| UnfollowWebhookBody
	| NoteEditedWebhookBody
	| NoteDeletedWebhookBody
	| FollowRequestReceivedWebhookBody
	| FollowRequestAcceptedWebhookBody;

/**
 * The body Misskey's test endpoint sends for `type`, or null for `reaction` (Misskey sends nothing). Our own events,
 * which Misskey has no dummy for, are built from the same dummies: dummyUser1's note edited or deleted, dummyUser2
 * asking to follow, dummyUser3's locked account accepting the request.
 */
export function dummyUserWebhookBody(type: UserWebhookEventType, now: Date = new Date()): DummyUserWebhookBody | null {
	switch (type) {
		case 'note': return { note: dummyPackedNote('dummyNote1', now) };
		case 'reply': return { note: dummyPackedNote('dummyReply1', now) };
		case 'renote': return { note: dummyPackedNote('dummyRenote1', now) };
		case 'mention': return { note: dummyPackedNote('dummyMention1', now) };
		case 'follow': return { user: dummyUserDetailedNotMe(1, now) };
		case 'followed': return { user: dummyUserLite(2) };
		case 'unfollow': return { user: dummyUserDetailedNotMe(3, now) };
		case 'reaction': return null;
		case 'noteEdited': return { note: dummyPackedNote('dummyNote1', now) };
		case 'noteDeleted': {
			const author = dummyUserLite(dummyNotes.dummyNote1.author);
			return { note: { id: dummyNotes.dummyNote1.id, userId: author.id, user: author, deletedAt: now.toISOString() } };
		}
		case 'followRequestReceived': return { user: dummyUserLite(2) };
		case 'followRequestAccepted': return { user: { ...dummyUserDetailedNotMe(3, now), isLocked: true, isFollowing: true } };
	}
}
