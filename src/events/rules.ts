import type { UserRef } from '../host.js';
import type { UserWebhookEventType } from './catalogue.js';
import type { FollowCreatedEvent, FollowDeletedEvent, FollowRequestAcceptedEvent, FollowRequestCreatedEvent, FollowRequestRejectedEvent, NoteCreatedEvent, NoteDeletedEvent, NoteEditedEvent, ReactionCreatedEvent } from './host-event-types.js';

/** How a body is packed: which host packer, for which entity, from whose point of view. */
export type BodySpec =
	/** `{ note }`: the note packed with `detail: true`; viewer null = unredacted. */
	| { kind: 'note'; noteId: string; viewerId: string | null }
	/** `{ user }`: the user as UserDetailedNotMe from the viewer's point of view. */
	| { kind: 'userDetailed'; userId: string; viewerId: string }
	/** `{ user }`: the user as UserLite. */
	| { kind: 'userLite'; userId: string }
	/** `{ note, reaction, user }`: the reacted note (no viewer), the reaction and the reacting user as UserLite. */
	| { kind: 'reaction'; noteId: string; reaction: string; userId: string }
	/** `{ note: { id, userId, user, deletedAt } }`: what is left of a deleted note, its author as UserLite. */
	| { kind: 'deletedNote'; noteId: string; userId: string; deletedAt: string };

/** One event for one owner: deliver `type` with the body `body` describes to the owner's matching webhooks. */
export interface Recipient {
	ownerId: string;
	type: UserWebhookEventType;
	body: BodySpec;
}

/** What the rules for a note creation need to know beyond the event itself. */
export interface NoteCreatedFacts {
	/** Local users who muted the note's thread (Misskey `note_thread_muting`). */
	threadMutedBy: ReadonlySet<string>;
}

/** Event types a thread mute suppresses (`reply` and `mention`; `note` and `renote` ignore it). */
export const threadMutableEventTypes: ReadonlySet<UserWebhookEventType> = new Set(['reply', 'mention']);

/** Misskey's thread of a note: its `threadId`, or the note's own id when it is no reply. */
export function threadIdOf(note: NoteCreatedEvent['note']): string {
	return note.threadId ?? note.id;
}

function isLocal(user: UserRef): boolean {
	return user.host === null;
}

function uniqueById(users: readonly UserRef[]): UserRef[] {
	const seen = new Map<string, UserRef>();
	for (const user of users) if (!seen.has(user.id)) seen.set(user.id, user);
	return [...seen.values()];
}

/**
 * Who a note mentions, as Misskey widens it before raising `mention` (`NoteCreateService.create`): the users the host
 * named, then the replied-to author unless that is the note's own author, then, for a direct (`specified`) note, every
 * visible user; each once, in that order. The replied-to author is left out of the visible users: Misskey adds them to
 * a direct reply's audience only so they can read it, after widening the mentions. Widening a list Misskey already
 * widened changes nothing, so a host may pass either.
 */
export function widenedMentionsOf(note: NoteCreatedEvent['note']): UserRef[] {
	const users = [...(note.mentionedUsers ?? [])];
	const replyAuthor = note.reply?.user;
	if (replyAuthor && replyAuthor.id !== note.userId) users.push(replyAuthor);
	if (note.visibility === 'specified') {
		for (const user of note.visibleUsers ?? []) if (user.id !== replyAuthor?.id) users.push(user);
	}
	return uniqueById(users);
}

/**
 * Note creation, in Misskey's order `note` → `mention`s → `reply` → `renote`; `silent` suppresses all of them.
 * `mention` goes to every local user of {@link widenedMentionsOf}, so the replied-to author gets both `mention` and
 * `reply`; `reply` has no self check; `renote` skips renoting yourself; only local users receive anything but `note`.
 */
export function recipientsOfNoteCreated(event: NoteCreatedEvent, facts: NoteCreatedFacts): Recipient[] {
	if (event.silent) return [];
	const { note } = event;
	const unredacted: BodySpec = { kind: 'note', noteId: note.id, viewerId: null };
	const notMuting = (userId: string) => !facts.threadMutedBy.has(userId);
	const recipients: Recipient[] = [{ ownerId: note.userId, type: 'note', body: unredacted }];

	for (const user of widenedMentionsOf(note)) {
		if (!isLocal(user) || !notMuting(user.id)) continue;
		recipients.push({ ownerId: user.id, type: 'mention', body: { kind: 'note', noteId: note.id, viewerId: user.id } });
	}

	const replyAuthor = note.reply?.user;
	if (replyAuthor && isLocal(replyAuthor) && notMuting(replyAuthor.id)) {
		recipients.push({ ownerId: replyAuthor.id, type: 'reply', body: unredacted });
	}

	const renoteAuthor = note.renote?.user;
	if (renoteAuthor && isLocal(renoteAuthor) && renoteAuthor.id !== note.userId) {
		recipients.push({ ownerId: renoteAuthor.id, type: 'renote', body: unredacted });
	}
	return recipients;
}

/**
 * Follow creation: `follow` to the local follower (not when silent; body the followee from the follower's view),
 * then `followed` to the local followee (even when silent; body the follower as UserLite).
 */
export function recipientsOfFollowCreated(event: FollowCreatedEvent): Recipient[] {
	const { follower, followee } = event;
	const recipients: Recipient[] = [];
	if (isLocal(follower) && !event.silent) {
		recipients.push({ ownerId: follower.id, type: 'follow', body: { kind: 'userDetailed', userId: followee.id, viewerId: follower.id } });
	}
	if (isLocal(followee)) {
		recipients.push({ ownerId: followee.id, type: 'followed', body: { kind: 'userLite', userId: follower.id } });
	}
	return recipients;
}

function unfollowTo(follower: UserRef, followee: UserRef): Recipient[] {
	if (!isLocal(follower)) return [];
	return [{ ownerId: follower.id, type: 'unfollow', body: { kind: 'userDetailed', userId: followee.id, viewerId: follower.id } }];
}

/**
 * Follow deletion: `unfollow` to the local follower, body the followee from the follower's view.
 * `silent` suppresses it only when the follower unfollowed (Misskey `unfollow`); removal by the followee or a block
 * always fires (Misskey `publishUnfollow`).
 */
export function recipientsOfFollowDeleted(event: FollowDeletedEvent): Recipient[] {
	if (event.initiatedBy === 'follower' && event.silent) return [];
	return unfollowTo(event.follower, event.followee);
}

/** Follow request rejection: `unfollow` to the local follower, even when silent (Misskey `publishUnfollow`). */
export function recipientsOfFollowRequestRejected(event: FollowRequestRejectedEvent): Recipient[] {
	return unfollowTo(event.follower, event.followee);
}

/**
 * Our `reaction` event (Misskey never emits it): to the note's local author when someone
 * else reacts; body the note without viewer, the reaction and the reacting user.
 */
export function recipientsOfReactionCreated(event: ReactionCreatedEvent): Recipient[] {
	const author = event.note.user;
	if (!isLocal(author) || author.id === event.user.id) return [];
	return [{
		ownerId: author.id,
		type: 'reaction',
		body: { kind: 'reaction', noteId: event.note.id, reaction: event.reaction, userId: event.user.id },
	}];
}

/** Note edit: `noteEdited` to the local author, the note after the edit with no viewer; `silent` suppresses it. */
export function recipientsOfNoteEdited(event: NoteEditedEvent): Recipient[] {
	if (event.silent) return [];
	return [{ ownerId: event.note.userId, type: 'noteEdited', body: { kind: 'note', noteId: event.note.id, viewerId: null } }];
}

/**
 * Note deletion: `noteDeleted` to the local author, whoever deleted it (the author or a moderator); `silent` (Misskey
 * `quiet`) suppresses it. The note is gone, so the body names it and packs only its author.
 */
export function recipientsOfNoteDeleted(event: NoteDeletedEvent): Recipient[] {
	const author = event.note.user;
	if (event.silent || !isLocal(author)) return [];
	const deletedAt = new Date(event.deletedAt);
	if (Number.isNaN(deletedAt.getTime())) throw new TypeError('noteDeleted: deletedAt is not a date');
	return [{ ownerId: author.id, type: 'noteDeleted', body: { kind: 'deletedNote', noteId: event.note.id, userId: author.id, deletedAt: deletedAt.toISOString() } }];
}

/** Follow request: `followRequestReceived` to the local followee, body the requester as UserLite (as `followed`). */
export function recipientsOfFollowRequestCreated(event: FollowRequestCreatedEvent): Recipient[] {
	if (!isLocal(event.followee)) return [];
	return [{ ownerId: event.followee.id, type: 'followRequestReceived', body: { kind: 'userLite', userId: event.follower.id } }];
}

/**
 * Follow request acceptance: `followRequestAccepted` to the local requester, body the followee from the requester's
 * view (as `follow`). The follow itself comes with `followCreated`.
 */
export function recipientsOfFollowRequestAccepted(event: FollowRequestAcceptedEvent): Recipient[] {
	const { follower, followee } = event;
	if (!isLocal(follower)) return [];
	return [{ ownerId: follower.id, type: 'followRequestAccepted', body: { kind: 'userDetailed', userId: followee.id, viewerId: follower.id } }];
}

/** A key equal for equal body specs, so each distinct body is packed once per event. */
export function bodyKey(body: BodySpec): string {
	switch (body.kind) {
		case 'note': return `note:${body.noteId}:${body.viewerId ?? ''}`;
		case 'userDetailed': return `userDetailed:${body.userId}:${body.viewerId}`;
		case 'userLite': return `userLite:${body.userId}`;
		case 'reaction': return JSON.stringify(['reaction', body.noteId, body.reaction, body.userId]);
		case 'deletedNote': return `deletedNote:${body.noteId}`;
	}
}
