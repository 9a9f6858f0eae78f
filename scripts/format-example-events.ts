// One realistic body per event type, fixed in time, for docs/formats.md and the format tests. The typed table makes a
// new event type fail to compile until it has an example here.
import type { EventBodies } from '../src/delivery/format/webhook-event.js';
import type { Note } from '../src/generated/note.js';
import type { UserLite } from '../src/generated/user-lite.js';
import type { UserDetailedNotMe } from '../src/generated/user-detailed-not-me.js';
import type { AbuseReportPayload } from '../src/generated/abuse-report-payload.js';

export const EXAMPLE_SERVER_URL = 'https://misskey.example';
/** 2025-09-08T09:30:00.000Z, the envelope time of every example. */
export const EXAMPLE_CREATED_AT = Date.UTC(2025, 8, 8, 9, 30);

const at = new Date(EXAMPLE_CREATED_AT).toISOString();

export function exampleUser(username: string, name: string | null, host: string | null = null): UserLite {
	return {
		id: `9x0${username}`.slice(0, 10).padEnd(10, '0'),
		name,
		username,
		host,
		avatarUrl: `${EXAMPLE_SERVER_URL}/identicon/${username}`,
		avatarBlurhash: null,
		avatarDecorations: [],
		isBot: false,
		isCat: false,
		emojis: {},
		onlineStatus: 'unknown',
	};
}

export function exampleNote(id: string, user: UserLite, text: string | null, extra: Partial<Note> = {}): Note {
	return {
		id,
		createdAt: at,
		text,
		cw: null,
		userId: user.id,
		user,
		visibility: 'public',
		reactionAcceptance: null,
		reactionEmojis: {},
		reactions: {},
		reactionCount: 0,
		renoteCount: 0,
		repliesCount: 0,
		...extra,
	};
}

function detailed(user: UserLite): UserDetailedNotMe {
	return {
		chatScope: 'mutual',
		canChat: false,
		...user,
		url: null,
		uri: null,
		movedTo: null,
		alsoKnownAs: null,
		createdAt: at,
		updatedAt: null,
		lastFetchedAt: null,
		bannerUrl: null,
		bannerBlurhash: null,
		isLocked: false,
		isSilenced: false,
		isSuspended: false,
		description: 'Photographer. Cats, trains and coffee.',
		location: null,
		birthday: null,
		lang: null,
		fields: [],
		verifiedLinks: [],
		followersCount: 120,
		followingCount: 80,
		notesCount: 1500,
		pinnedNoteIds: [],
		pinnedNotes: [],
		pinnedPageId: null,
		pinnedPage: null,
		publicReactions: true,
		followingVisibility: 'public',
		followersVisibility: 'public',
		roles: [],
		memo: null,
		twoFactorEnabled: false,
		usePasswordLessLogin: false,
		securityKeys: false,
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

const alice = exampleUser('alice', 'Alice :blobcat:');
const bob = exampleUser('bob', null, 'remote.example');
const carol = exampleUser('carol', 'Carol *the* moderator');

const aliceNote = exampleNote('9x0note001', alice, 'Good morning! The new **release** is out: https://misskey.example/notes/9x0rel0001 @everyone have a look 🎉', { files: [], fileIds: ['9x0file001', '9x0file002'] });
const bobReply = exampleNote('9x0note002', bob, '@alice Congratulations! Does it fix the_emoji_picker bug?', { replyId: aliceNote.id, reply: aliceNote });
const bobRenote = exampleNote('9x0note003', bob, null, { renoteId: aliceNote.id, renote: aliceNote });
const bobMention = exampleNote('9x0note004', bob, '@alice are you coming to the meetup on Friday?', { cw: 'Meetup plans', mentions: [alice.id], visibility: 'specified', visibleUserIds: [alice.id] });

const report: AbuseReportPayload = {
	id: '9x0report1',
	targetUserId: bob.id,
	targetUser: bob,
	targetUserHost: bob.host,
	reporterId: alice.id,
	reporter: alice,
	reporterHost: null,
	assigneeId: null,
	assignee: null,
	resolved: false,
	forwarded: false,
	comment: 'Posts the same <a href="https://spam.example">link</a> under every note. Note: https://misskey.example/notes/9x0spam001',
	moderationNote: '',
	resolvedAs: null,
};

/** The examples of each event type: a test iterating them covers every type, and the docs show the first of each. */
export const exampleEvents: { [Type in keyof EventBodies]: EventBodies[Type][] } = {
	note: [{ note: aliceNote }],
	reply: [{ note: bobReply }],
	renote: [{ note: bobRenote }],
	mention: [{ note: bobMention }],
	reaction: [{ note: aliceNote, reaction: ':blobcat_heart@.:', user: bob }, { note: aliceNote, reaction: '👍', user: bob }],
	follow: [{ user: detailed(bob) }],
	followed: [{ user: bob }],
	unfollow: [{ user: detailed(bob) }],
	noteEdited: [{ note: { ...aliceNote, text: 'Good morning! The new **release** is out (edited: the link works now): https://misskey.example/notes/9x0rel0001' } }],
	noteDeleted: [{ note: { id: aliceNote.id, userId: alice.id, user: alice, deletedAt: at } }],
	followRequestReceived: [{ user: bob }],
	followRequestAccepted: [{ user: { ...detailed(bob), isLocked: true, isFollowing: true } }],
	abuseReport: [report],
	abuseReportResolved: [{ ...report, resolved: true, assigneeId: carol.id, assignee: carol, resolvedAs: 'accept', moderationNote: 'Suspended for a week.' }],
	abuseReportAutoResolved: [{ ...report, resolved: true, resolvedAs: 'reject', moderationNote: 'Closed by the rule for reports on a resolved target.' }],
	userCreated: [exampleUser('dave', 'Dave')],
	inactiveModeratorsWarning: [{ remainingTime: { time: 172_800_000, asDays: 2, asHours: 48 } }],
	inactiveModeratorsInvitationOnlyChanged: [{}],
	userWebhookDisabled: [{
		webhook: { id: '9x0hook001', userId: alice.id, name: 'Notes to my blog', url: 'https://blog.example/(redacted)' },
		user: alice,
		reason: 'Every delivery failed for 7 days; the last one got 503 Service Unavailable.',
		pausedBy: 'auto',
	}],
};
