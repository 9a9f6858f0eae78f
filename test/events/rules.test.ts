import assert from 'node:assert/strict';
import type { UserRef } from '../../src/host.js';
import type { NoteCreatedEvent } from '../../src/events/host-event-types.js';
import {
	bodyKey,
	widenedMentionsOf,
	recipientsOfFollowCreated,
	recipientsOfFollowDeleted,
	recipientsOfFollowRequestRejected,
	recipientsOfNoteCreated,
	recipientsOfReactionCreated,
	threadIdOf,
	threadMutableEventTypes,
	type BodySpec,
	type Recipient,
} from '../../src/events/rules.js';

const alice: UserRef = { id: 'alice', host: null };
const bob: UserRef = { id: 'bob', host: null };
const carol: UserRef = { id: 'carol', host: null };
const remy: UserRef = { id: 'remy', host: 'remote.example' };

const NOTE_ID = 'n1';
const unredacted: BodySpec = { kind: 'note', noteId: NOTE_ID, viewerId: null };
const seenBy = (viewerId: string): BodySpec => ({ kind: 'note', noteId: NOTE_ID, viewerId });
const noMutes = { threadMutedBy: new Set<string>() };

/** The fixture: alice posts a plain note; each case changes one thing. */
function noteBy(author: UserRef, changes: Partial<NoteCreatedEvent['note']> = {}, silent?: boolean): NoteCreatedEvent {
	return { note: { id: NOTE_ID, userId: author.id, ...changes }, silent };
}

interface NoteCase {
	behaviour: string;
	event: NoteCreatedEvent;
	mutedBy?: string[];
	expected: Recipient[];
}

const noteCases: NoteCase[] = [
	{
		behaviour: 'a plain note fires note to its author',
		event: noteBy(alice),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'note has no locality check: a remote author is asked for too (only local users own webhooks)',
		event: noteBy(remy),
		expected: [{ ownerId: 'remy', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'replying to a local user without naming them fires note to the author, then mention and reply to the target author',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: bob } }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'replying to a user already mentioned gives them one mention, in the place of their own mention',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: bob }, mentionedUsers: [bob, carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'the replied-to author comes after the named users',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: bob }, mentionedUsers: [carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'replying to yourself fires reply and note but no mention',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: alice } }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'alice', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'a remote reply target gets nothing',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: remy } }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'a remote reply target gets no mention either',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: remy }, mentionedUsers: [bob] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
		],
	},
	{
		behaviour: 'a remote author replying to a local user still fires mention and reply to that user',
		event: noteBy(remy, { threadId: 't1', reply: { id: 'r1', user: bob } }),
		expected: [
			{ ownerId: 'remy', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'a muted thread suppresses the reply and the implied mention but not note',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: bob } }),
		mutedBy: ['bob', 'alice'],
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'a direct note mentions each visible user, packed from their view',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [bob, carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
		],
	},
	{
		behaviour: 'a visible user also named in the text gets one mention; visible users follow the named ones',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [bob, carol], mentionedUsers: [carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
		],
	},
	{
		behaviour: 'a remote visible user gets nothing',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [remy, bob] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
		],
	},
	{
		behaviour: 'visible users count only for a direct note (Misskey ignores them otherwise)',
		event: noteBy(alice, { visibility: 'followers', visibleUsers: [bob] }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'visible users count only when the host says the note is direct',
		event: noteBy(alice, { visibleUsers: [bob] }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'a direct reply to another user mentions them once, before the other visible users',
		event: noteBy(alice, { visibility: 'specified', threadId: 't1', reply: { id: 'r1', user: bob }, visibleUsers: [carol, bob] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'a direct reply to yourself does not mention you, though you are among its visible users',
		event: noteBy(alice, { visibility: 'specified', threadId: 't1', reply: { id: 'r1', user: alice }, visibleUsers: [bob, alice] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'alice', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'a direct note listing its own author among the visible users mentions the author (no self check)',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [alice] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'alice', type: 'mention', body: seenBy('alice') },
		],
	},
	{
		behaviour: 'a muted thread suppresses the mention of a visible user',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [bob, carol] }),
		mutedBy: ['carol'],
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
		],
	},
	{
		behaviour: 'a list Misskey already widened gives the same recipients as the bare one',
		event: noteBy(alice, { visibility: 'specified', threadId: 't1', reply: { id: 'r1', user: bob }, visibleUsers: [carol, bob], mentionedUsers: [bob, carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
		],
	},
	{
		behaviour: 'a pure renote fires renote to the renoted author',
		event: noteBy(alice, { renote: { id: 'q1', user: bob } }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'renote', body: unredacted },
		],
	},
	{
		behaviour: 'a quote renote fires renote',
		event: noteBy(alice, { renote: { id: 'q1', user: bob }, mentionedUsers: [carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'renote', body: unredacted },
		],
	},
	{
		behaviour: 'renoting yourself fires no renote',
		event: noteBy(alice, { renote: { id: 'q1', user: alice } }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'renoting a remote note fires no renote',
		event: noteBy(alice, { renote: { id: 'q1', user: remy } }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'a thread mute does not suppress renote',
		event: noteBy(alice, { renote: { id: 'q1', user: bob } }),
		mutedBy: ['bob'],
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'renote', body: unredacted },
		],
	},
	{
		behaviour: 'each mentioned local user gets mention packed from their own view',
		event: noteBy(alice, { mentionedUsers: [bob, carol] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
		],
	},
	{
		behaviour: 'duplicate mentions produce one',
		event: noteBy(alice, { mentionedUsers: [bob, bob, { id: 'bob', host: null }] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
		],
	},
	{
		behaviour: 'a remote mention gets nothing',
		event: noteBy(alice, { mentionedUsers: [remy] }),
		expected: [{ ownerId: 'alice', type: 'note', body: unredacted }],
	},
	{
		behaviour: 'mentioning yourself fires mention (no self check)',
		event: noteBy(alice, { mentionedUsers: [alice] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'alice', type: 'mention', body: seenBy('alice') },
		],
	},
	{
		behaviour: 'a muted thread suppresses mention but not note',
		event: noteBy(alice, { mentionedUsers: [bob, carol] }),
		mutedBy: ['bob', 'alice'],
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
		],
	},
	{
		behaviour: 'the order is note, then mentions, then reply, then renote',
		event: noteBy(alice, { threadId: 't1', reply: { id: 'r1', user: bob }, renote: { id: 'q1', user: carol }, mentionedUsers: [carol, bob] }),
		expected: [
			{ ownerId: 'alice', type: 'note', body: unredacted },
			{ ownerId: 'carol', type: 'mention', body: seenBy('carol') },
			{ ownerId: 'bob', type: 'mention', body: seenBy('bob') },
			{ ownerId: 'bob', type: 'reply', body: unredacted },
			{ ownerId: 'carol', type: 'renote', body: unredacted },
		],
	},
	{
		behaviour: 'silent suppresses note, mention, reply and renote',
		event: noteBy(alice, { visibility: 'specified', visibleUsers: [carol], threadId: 't1', reply: { id: 'r1', user: bob }, renote: { id: 'q1', user: carol }, mentionedUsers: [carol] }, true),
		expected: [],
	},
];

describe('event rules', () => {
	describe('note created', () => {
		for (const { behaviour, event, mutedBy, expected } of noteCases) {
			it(behaviour, () => {
				assert.deepEqual(recipientsOfNoteCreated(event, { threadMutedBy: new Set(mutedBy ?? []) }), expected);
			});
		}

		it('note, reply and renote share one body, so it is packed once', () => {
			const recipients = recipientsOfNoteCreated(noteBy(alice, { reply: { id: 'r1', user: bob }, renote: { id: 'q1', user: carol } }), noMutes);
			const unmentioned = recipients.filter((r) => r.type !== 'mention');
			assert.deepEqual(unmentioned.map((r) => r.type), ['note', 'reply', 'renote']);
			assert.equal(new Set(unmentioned.map((r) => bodyKey(r.body))).size, 1);
		});

		it('the widened mention list keeps remote users (only delivery skips them) and names each user once', () => {
			const note = { id: NOTE_ID, userId: 'alice', visibility: 'specified' as const, reply: { id: 'r1', user: remy }, mentionedUsers: [bob, bob], visibleUsers: [remy, carol, bob] };
			assert.deepEqual(widenedMentionsOf(note).map((user) => user.id), ['bob', 'remy', 'carol']);
		});

		it('the thread is the threadId, or the note itself when it is no reply', () => {
			assert.equal(threadIdOf({ id: 'n1', userId: 'alice', threadId: 't1' }), 't1');
			assert.equal(threadIdOf({ id: 'n1', userId: 'alice', threadId: null }), 'n1');
			assert.equal(threadIdOf({ id: 'n1', userId: 'alice' }), 'n1');
		});

		it('thread muting applies exactly to reply and mention', () => {
			assert.deepEqual([...threadMutableEventTypes].sort(), ['mention', 'reply']);
		});
	});

	describe('follow created', () => {
		const cases: Array<{ behaviour: string; follower: UserRef; followee: UserRef; silent?: boolean; expected: Recipient[] }> = [
			{
				behaviour: 'a local follow fires follow to the follower (the followee from their view), then followed to the followee',
				follower: alice, followee: bob,
				expected: [
					{ ownerId: 'alice', type: 'follow', body: { kind: 'userDetailed', userId: 'bob', viewerId: 'alice' } },
					{ ownerId: 'bob', type: 'followed', body: { kind: 'userLite', userId: 'alice' } },
				],
			},
			{
				behaviour: 'follow to a remote followee still fires follow to the local follower but no followed',
				follower: alice, followee: remy,
				expected: [{ ownerId: 'alice', type: 'follow', body: { kind: 'userDetailed', userId: 'remy', viewerId: 'alice' } }],
			},
			{
				behaviour: 'a remote follower gets no follow, the local followee gets followed',
				follower: remy, followee: bob,
				expected: [{ ownerId: 'bob', type: 'followed', body: { kind: 'userLite', userId: 'remy' } }],
			},
			{
				behaviour: 'silent suppresses follow but not followed',
				follower: alice, followee: bob, silent: true,
				expected: [{ ownerId: 'bob', type: 'followed', body: { kind: 'userLite', userId: 'alice' } }],
			},
		];
		for (const { behaviour, follower, followee, silent, expected } of cases) {
			it(behaviour, () => assert.deepEqual(recipientsOfFollowCreated({ follower, followee, silent }), expected));
		}
	});

	describe('follow deleted and request rejected', () => {
		const unfollowOfBob: Recipient = { ownerId: 'alice', type: 'unfollow', body: { kind: 'userDetailed', userId: 'bob', viewerId: 'alice' } };
		const cases: Array<{ behaviour: string; run: () => Recipient[]; expected: Recipient[] }> = [
			{
				behaviour: 'the follower unfollowing fires unfollow to the follower with the followee as body',
				run: () => recipientsOfFollowDeleted({ follower: alice, followee: bob, initiatedBy: 'follower' }),
				expected: [unfollowOfBob],
			},
			{
				behaviour: 'silent suppresses unfollow by the follower',
				run: () => recipientsOfFollowDeleted({ follower: alice, followee: bob, initiatedBy: 'follower', silent: true }),
				expected: [],
			},
			{
				behaviour: 'the followee removing the follower fires unfollow to the follower',
				run: () => recipientsOfFollowDeleted({ follower: alice, followee: bob, initiatedBy: 'followee' }),
				expected: [unfollowOfBob],
			},
			{
				behaviour: 'silent does not suppress removal by the followee',
				run: () => recipientsOfFollowDeleted({ follower: alice, followee: bob, initiatedBy: 'followee', silent: true }),
				expected: [unfollowOfBob],
			},
			{
				behaviour: 'a rejected follow request fires unfollow to the follower',
				run: () => recipientsOfFollowRequestRejected({ follower: alice, followee: bob }),
				expected: [unfollowOfBob],
			},
			{
				behaviour: 'silent does not suppress a rejection',
				run: () => recipientsOfFollowRequestRejected({ follower: alice, followee: bob, silent: true }),
				expected: [unfollowOfBob],
			},
			{
				behaviour: 'a remote follower gets no unfollow',
				run: () => recipientsOfFollowDeleted({ follower: remy, followee: bob, initiatedBy: 'follower' }),
				expected: [],
			},
			{
				behaviour: 'a remote follower gets no unfollow on rejection either',
				run: () => recipientsOfFollowRequestRejected({ follower: remy, followee: bob }),
				expected: [],
			},
			{
				behaviour: 'unfollowing a remote followee fires unfollow to the local follower',
				run: () => recipientsOfFollowDeleted({ follower: alice, followee: remy, initiatedBy: 'follower' }),
				expected: [{ ownerId: 'alice', type: 'unfollow', body: { kind: 'userDetailed', userId: 'remy', viewerId: 'alice' } }],
			},
		];
		for (const { behaviour, run, expected } of cases) {
			it(behaviour, () => assert.deepEqual(run(), expected));
		}
	});

	describe('reaction created (our addition)', () => {
		const cases: Array<{ behaviour: string; author: UserRef; reactor: UserRef; expected: Recipient[] }> = [
			{
				behaviour: 'reacting to a local note fires reaction to its author',
				author: alice, reactor: bob,
				expected: [{ ownerId: 'alice', type: 'reaction', body: { kind: 'reaction', noteId: NOTE_ID, reaction: ':like@.:', userId: 'bob' } }],
			},
			{
				behaviour: 'a remote reactor still fires reaction to the local author',
				author: alice, reactor: remy,
				expected: [{ ownerId: 'alice', type: 'reaction', body: { kind: 'reaction', noteId: NOTE_ID, reaction: ':like@.:', userId: 'remy' } }],
			},
			{ behaviour: 'reacting to your own note fires nothing', author: alice, reactor: alice, expected: [] },
			{ behaviour: 'reacting to a remote note fires nothing', author: remy, reactor: alice, expected: [] },
		];
		for (const { behaviour, author, reactor, expected } of cases) {
			it(behaviour, () => {
				assert.deepEqual(recipientsOfReactionCreated({ note: { id: NOTE_ID, user: author }, user: reactor, reaction: ':like@.:' }), expected);
			});
		}
	});

	describe('body keys', () => {
		it('differ for different viewers and agree for equal specs', () => {
			assert.notEqual(bodyKey(seenBy('bob')), bodyKey(unredacted));
			assert.notEqual(bodyKey(seenBy('bob')), bodyKey(seenBy('carol')));
			assert.equal(bodyKey(seenBy('bob')), bodyKey({ kind: 'note', noteId: NOTE_ID, viewerId: 'bob' }));
			assert.notEqual(bodyKey({ kind: 'userLite', userId: 'bob' }), bodyKey({ kind: 'userDetailed', userId: 'bob', viewerId: 'alice' }));
		});
	});
});
