import type { UserRef } from '../host.js';
import type { NoteVisibility } from './note-visibility.js';

/** A note the host just created (Misskey `NoteCreateService.postNoteCreated`). */
export interface NoteCreatedEvent {
	note: {
		id: string;
		/** The author. */
		userId: string;
		/** Root of the reply chain (Misskey `note.threadId`); null or absent when the note is no reply, so the thread is the note itself. */
		threadId?: string | null;
		/** The note replied to, with its author. */
		reply?: { id: string; user: UserRef } | null;
		/** The note renoted or quoted, with its author. */
		renote?: { id: string; user: UserRef } | null;
		/**
		 * Users the note mentions, in any order, possibly repeated: those its text names, or Misskey's own widened
		 * `mentionedUsers`. Either way the module adds the replied-to author and a direct note's visible users itself.
		 */
		mentionedUsers?: UserRef[];
		/**
		 * Misskey `note.visibility`: lets `note` events leave out direct and followers-only notes for webhooks that ask
		 * so. Absent: every matched webhook gets the note.
		 */
		visibility?: NoteVisibility;
		/**
		 * Misskey `note.visibleUserIds` of a direct (`specified`) note, as users: each one is mentioned. Read only when
		 * `visibility` is `specified` (Misskey ignores the list otherwise, e.g. for channel notes).
		 */
		visibleUsers?: UserRef[];
	};
	/** Passively received remote content (Misskey `silent`); local API actions are never silent. */
	silent?: boolean;
	/**
	 * The note as the host has already packed it for no viewer (Misskey: the object `NoteEntityService.pack(note, null,
	 * { skipHide: true, withReactionAndUserPairCache: true })` gives, the one it streams): the body of `note`, `reply` and
	 * `renote` deliveries then, instead of the module asking `packNote(id, null)` for it again. Mentions are still packed
	 * per mentioned user.
	 */
	packedNote?: unknown;
}

/** A follow relation came into being, including the acceptance of a pending request (Misskey `insertFollowingDoc`). */
export interface FollowCreatedEvent {
	follower: UserRef;
	followee: UserRef;
	silent?: boolean;
}

/** Who ended a follow relation: the follower unfollowed, or the followee removed the follower (or a block ended it). */
export type FollowDeletionInitiator = 'follower' | 'followee';

/** A follow relation ended (Misskey `unfollow` when the follower acts, `publishUnfollow` otherwise). */
export interface FollowDeletedEvent {
	follower: UserRef;
	followee: UserRef;
	initiatedBy: FollowDeletionInitiator;
	silent?: boolean;
}

/** The followee rejected a pending follow request, or a block cancelled it (Misskey `rejectFollowRequest`). */
export interface FollowRequestRejectedEvent {
	follower: UserRef;
	followee: UserRef;
	silent?: boolean;
}

/** A user reacted to a note (our `reaction` event; Misskey never emits it). */
export interface ReactionCreatedEvent {
	note: { id: string; user: UserRef };
	/** The reacting user. */
	user: UserRef;
	/** The reaction as stored: a Unicode emoji or `:name@host:` / `:name@.:`. */
	reaction: string;
}

/** An author edited a note (ours; Misskey cannot edit notes, forks such as Sharkey can): raise it after the edit is stored. */
export interface NoteEditedEvent {
	note: {
		id: string;
		/** The author. */
		userId: string;
		/** As for `noteCreated`: lets `noteEdited` leave out direct and followers-only notes for webhooks that ask so. */
		visibility?: NoteVisibility;
	};
	silent?: boolean;
}

/** A note was deleted, by its author or by a moderator (Misskey `NoteDeleteService.delete`). */
export interface NoteDeletedEvent {
	note: {
		id: string;
		/** The author. */
		user: UserRef;
	};
	/** When it was deleted (Misskey's `deletedAt`): a Date or an ISO 8601 string. */
	deletedAt: Date | string;
	/** Misskey `quiet`: a deletion nobody is told of (e.g. the notes of an account being deleted). */
	silent?: boolean;
}

/** Someone asked to follow a locked account (Misskey `UserFollowingService.createFollowRequest`). */
export interface FollowRequestCreatedEvent {
	/** The requester. */
	follower: UserRef;
	followee: UserRef;
}

/**
 * The followee accepted a pending follow request (Misskey `UserFollowingService.acceptFollowRequest`). The follow it
 * creates is raised as well, with `followCreated`.
 */
export interface FollowRequestAcceptedEvent {
	/** The requester. */
	follower: UserRef;
	followee: UserRef;
}
