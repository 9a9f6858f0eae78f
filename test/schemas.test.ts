import assert from 'node:assert/strict';
import { createSchemaValidator, loadSchemaFiles, schemaIdPrefix } from '../src/schemas.js';
import { eventBodySchemaName } from '../src/events/catalogue.js';
import { dummyPackedNote, dummyUserWebhookBody } from '../src/api/packing/dummies.js';
import { userWebhookEventTypes } from '../src/events/catalogue.js';
import { findStaleGeneratedFiles } from '../scripts/generate-types.js';
import type { DriveFile } from '../src/generated/drive-file.js';
import type { Note } from '../src/generated/note.js';
import type { RoleLite } from '../src/generated/role-lite.js';
import type { UserDetailedNotMe } from '../src/generated/user-detailed-not-me.js';
import type { UserLite } from '../src/generated/user-lite.js';
import type { SystemWebhook } from '../src/generated/system-webhook.js';
import type { UserWebhook } from '../src/generated/user-webhook.js';
import type { UserWebhookEnvelope } from '../src/generated/webhook-envelope.js';
import type { ReactionWebhookBody } from '../src/generated/events/reaction.js';
import { packedPage } from './support/misskey-page.js';
import { PackingHost } from './support/packing-host.js';

const validator = createSchemaValidator();

function assertValid(name: string, value: unknown): void {
	const result = validator.validate(name, value);
	assert.equal(result.valid, true, `${name}: ${result.errors}`);
	assert.equal(result.errors, '');
}

function assertInvalid(name: string, value: unknown, expected: RegExp): void {
	const result = validator.validate(name, value);
	assert.equal(result.valid, false, `${name} accepted a broken value`);
	assert.match(result.errors, expected);
}

function collectRefs(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) value.forEach((item) => collectRefs(item, out));
	else if (value !== null && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			if (key === '$ref' && typeof inner === 'string') out.push(inner);
			else collectRefs(inner, out);
		}
	}
	return out;
}

const clone = <T>(value: T): T => structuredClone(value);

// --- realistic payloads -------------------------------------------------------------------------

const localUser: UserLite = {
	id: '9x1a2b3c4d',
	name: 'Alice',
	username: 'alice',
	host: null,
	avatarUrl: 'https://misskey.example/files/webpublic-0a1b2c3d',
	avatarBlurhash: 'eQFRshof5NWBRi};ayj[ayj[0Jae$~fRj@',
	avatarDecorations: [{ id: '9w0000aaaa', angle: 0.1, flipH: true, url: 'https://misskey.example/files/deco.png' }],
	isBot: false,
	isCat: false,
	emojis: {},
	onlineStatus: 'online',
	badgeRoles: [{ name: 'Supporter', iconUrl: null, displayOrder: 1 }],
};

const remoteUser: UserLite = {
	id: '9x1a2b3c4e',
	name: 'Bob :blobcat:',
	username: 'bob',
	host: 'remote.example',
	avatarUrl: 'https://misskey.example/proxy/avatar.webp?url=https%3A%2F%2Fremote.example%2Fa.png&avatar=1',
	avatarBlurhash: null,
	avatarDecorations: [],
	isBot: true,
	isCat: false,
	requireSigninToViewContents: true,
	makeNotesFollowersOnlyBefore: -2592000,
	makeNotesHiddenBefore: null,
	instance: {
		name: 'Remote',
		softwareName: 'mastodon',
		softwareVersion: '4.3.2',
		iconUrl: 'https://remote.example/icon.png',
		faviconUrl: null,
		themeColor: '#6364ff',
	},
	emojis: { blobcat: 'https://remote.example/emoji/blobcat.png' },
	onlineStatus: 'unknown',
};

const folder = { id: '9x0folder1', createdAt: '2025-06-01T10:00:00.000Z', name: 'Photos', parentId: null };

const driveFile: DriveFile = {
	id: '9x1file001',
	createdAt: '2025-06-01T10:00:00.000Z',
	name: 'cat.jpg',
	type: 'image/jpeg',
	md5: 'd41d8cd98f00b204e9800998ecf8427e',
	size: 123456,
	isSensitive: false,
	blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
	properties: { width: 1280, height: 960, avgColor: 'rgb(120,110,100)' },
	url: 'https://misskey.example/files/0a1b2c3d-4e5f',
	thumbnailUrl: 'https://misskey.example/files/thumbnail-0a1b2c3d-4e5f',
	comment: 'A cat',
	folderId: folder.id,
	folder,
	userId: localUser.id,
	user: localUser,
};

const localNote: Note = {
	id: '9x1note001',
	createdAt: '2025-06-01T10:00:01.000Z',
	text: 'Which one? #cats',
	cw: null,
	userId: localUser.id,
	user: localUser,
	replyId: null,
	renoteId: null,
	visibility: 'followers',
	localOnly: false,
	reactionAcceptance: null,
	mentions: [],
	fileIds: [driveFile.id],
	files: [driveFile],
	tags: ['cats'],
	poll: {
		expiresAt: '2025-06-02T10:00:01.000Z',
		multiple: false,
		choices: [
			{ isVoted: false, text: 'tabby', votes: 3 },
			{ isVoted: false, text: 'calico', votes: 5 },
		],
	},
	emojis: {},
	reactionEmojis: { 'blobcat@remote.example': 'https://remote.example/emoji/blobcat.png' },
	reactions: { '👍': 2, ':blobcat@remote.example:': 1 },
	reactionCount: 3,
	reactionAndUserPairCache: ['9x1a2b3c4e/:blobcat@remote.example:'],
	renoteCount: 0,
	repliesCount: 1,
	clippedCount: 0,
	reply: null,
	renote: null,
};

const remoteReply: Note = {
	id: '9x1note002',
	createdAt: '2025-06-01T10:05:00.000Z',
	text: '@alice calico!',
	userId: remoteUser.id,
	user: remoteUser,
	replyId: localNote.id,
	reply: localNote,
	visibility: 'public',
	mentions: [localUser.id],
	reactionAcceptance: 'nonSensitiveOnly',
	reactionEmojis: {},
	reactions: {},
	reactionCount: 0,
	renoteCount: 0,
	repliesCount: 0,
	uri: 'https://remote.example/users/bob/statuses/1234',
	url: 'https://remote.example/@bob/1234',
};

const role: RoleLite = {
	id: '9x0role001',
	name: 'Moderators',
	color: '#ff0000',
	iconUrl: null,
	description: 'Keeps the peace',
	isModerator: true,
	isAdministrator: false,
	displayOrder: 10,
};

const detailedUser: UserDetailedNotMe = {
	...localUser,
	url: null,
	uri: null,
	movedTo: null,
	alsoKnownAs: null,
	createdAt: '2024-01-01T00:00:00.000Z',
	updatedAt: '2025-05-01T00:00:00.000Z',
	lastFetchedAt: null,
	bannerUrl: 'https://misskey.example/files/banner',
	bannerBlurhash: null,
	isLocked: true,
	isSilenced: false,
	isSuspended: false,
	description: 'Cats.',
	location: 'Tokyo',
	birthday: '1990-01-01',
	lang: 'ja-JP',
	fields: [{ name: 'Site', value: 'https://alice.example' }],
	verifiedLinks: ['https://alice.example'],
	followersCount: 12,
	followingCount: 34,
	notesCount: 56,
	pinnedNoteIds: [localNote.id],
	pinnedNotes: [localNote],
	pinnedPageId: '9x0page001',
	pinnedPage: packedPage(localUser, driveFile),
	publicReactions: false,
	followingVisibility: 'followers',
	followersVisibility: 'private',
	chatScope: 'following',
	canChat: false,
	roles: [role],
	followedMessage: 'Thanks!',
	memo: 'met at the meetup',
	isFollowing: true,
	isFollowed: false,
	hasPendingFollowRequestFromYou: false,
	hasPendingFollowRequestToYou: false,
	isBlocking: false,
	isBlocked: false,
	isMuted: false,
	isRenoteMuted: true,
	notify: 'normal',
	withReplies: false,
};

const webhook: UserWebhook = {
	id: '9x0hook001',
	userId: localUser.id,
	name: 'My hook',
	on: ['note', 'reply', 'reaction'],
	url: 'not even a url',
	secret: '',
	active: true,
	latestSentAt: null,
	latestStatus: null,
	pausedBy: null,
	pausedReason: null,
	pausedAt: null,
	retryPolicy: 'standard',
	sendSecretHeader: true,
	previousSecretExpiresAt: null,
	excludeSpecifiedNotes: false,
	excludeFollowersNotes: false,
	format: 'discord',
	deliveryRate: 2.5,
	deliveryBurst: null,
	template: '{"text": "{{body.note.text}}"}',
	templateContentType: 'application/json',
	filter: { all: [{ hasFiles: true }, { not: { isRenote: true } }, { path: 'note.user.host', equals: null }] },
};

// The user webhook's shared options (WebhookOptions) on a system webhook, which has no owner and no note filters.
const systemWebhook: SystemWebhook = (({ userId: _userId, active: _active, excludeSpecifiedNotes: _specified, excludeFollowersNotes: _followers, ...rest }) => ({
	...rest, isActive: true, updatedAt: '2025-06-01T10:00:00.000Z', on: ['abuseReport', 'userCreated'], pausedBy: null,
}))(webhook);

const envelope: UserWebhookEnvelope = {
	server: 'https://misskey.example',
	hookId: webhook.id,
	userId: localUser.id,
	eventId: '3b241101-e2bb-4255-8caf-4136c566a962',
	createdAt: 1748772001000,
	type: 'note',
	body: { note: localNote },
};

const reactionBody: ReactionWebhookBody = { note: localNote, reaction: ':blobcat@.:', user: remoteUser };

// One valid example per schema, and broken variants that each must fail with the matching error.
const examples: Record<string, { valid: unknown; broken: [string, (v: any) => void, RegExp][] }> = {
	UserLite: {
		valid: remoteUser,
		broken: [
			['missing onlineStatus', (v) => delete v.onlineStatus, /required property 'onlineStatus'/],
			['numeric host', (v) => { v.host = 42; }, /\/host must be string,null/],
			['bad onlineStatus', (v) => { v.onlineStatus = 'away'; }, /\/onlineStatus must be equal to one of/],
		],
	},
	UserDetailedNotMe: {
		valid: detailedUser,
		broken: [
			['missing memo', (v) => delete v.memo, /required property 'memo'/],
			['string followersCount', (v) => { v.followersCount = '12'; }, /\/followersCount must be number/],
			['UserLite only', (v) => {
				for (const k of Object.keys(v)) if (!(k in localUser)) delete v[k];
			}, /required property 'createdAt'/],
		],
	},
	Note: {
		valid: localNote,
		broken: [
			['missing reactionAcceptance', (v) => delete v.reactionAcceptance, /required property 'reactionAcceptance'/],
			['bad visibility', (v) => { v.visibility = 'private'; }, /\/visibility must be equal to one of/],
			['broken nested file', (v) => { delete v.files[0].md5; }, /\/files\/0 must have required property 'md5'/],
			['bad date', (v) => { v.createdAt = 'yesterday'; }, /\/createdAt must match format "date-time"/],
		],
	},
	DriveFile: {
		valid: driveFile,
		broken: [
			['missing url', (v) => delete v.url, /required property 'url'/],
			['bad md5', (v) => { v.md5 = 'xyz'; }, /\/md5 must match format "md5"/],
		],
	},
	DriveFolder: {
		valid: folder,
		broken: [['missing parentId', (v) => delete v.parentId, /required property 'parentId'/]],
	},
	RoleLite: {
		valid: role,
		broken: [['fractional displayOrder', (v) => { v.displayOrder = 1.5; }, /\/displayOrder must be integer/]],
	},
	Page: {
		valid: { ...packedPage(localUser, driveFile), extra: true },
		broken: [
			['missing id', (v) => delete v.id, /required property 'id'/],
			['missing content', (v) => delete v.content, /required property 'content'/],
			['an unknown font', (v) => { v.font = 'monospace'; }, /\/font must be equal to one of/],
		],
	},
	UserWebhook: {
		valid: webhook,
		broken: [
			['missing latestStatus', (v) => delete v.latestStatus, /required property 'latestStatus'/],
			['fractional latestStatus', (v) => { v.latestStatus = 200.5; }, /\/latestStatus must be integer,null/],
			['an empty event name', (v) => { v.on.push(''); }, /\/on\/3 must NOT have fewer than 1 characters/],
			['an event name longer than its column', (v) => { v.on.push('x'.repeat(129)); }, /\/on\/3 must NOT have more than 128 characters/],
			['missing pausedBy', (v) => delete v.pausedBy, /required property 'pausedBy'/],
			['an unknown pause cause', (v) => { v.pausedBy = 'owner'; }, /\/pausedBy must be equal to one of/],
			['an unknown retry preset', (v) => { v.retryPolicy = 'forever'; }, /\/retryPolicy must be equal to one of/],
			['missing sendSecretHeader', (v) => delete v.sendSecretHeader, /required property 'sendSecretHeader'/],
			['a string note filter', (v) => { v.excludeSpecifiedNotes = 'yes'; }, /\/excludeSpecifiedNotes must be boolean/],
			['the replaced secret', (v) => { v.previousSecret = 'old'; }, /must NOT be valid/],
			['an unknown key', (v) => { v.failingSince = null; }, /must NOT have unevaluated properties/],
			['an unknown format', (v) => { v.format = 'mattermost'; }, /\/format must be equal to one of/],
			['missing format', (v) => delete v.format, /required property 'format'/],
			['a rate of none', (v) => { v.deliveryRate = 0; }, /\/deliveryRate must be >= 0.01/],
			['a fractional burst', (v) => { v.deliveryBurst = 1.5; }, /\/deliveryBurst must be integer,null/],
			['missing filter', (v) => delete v.filter, /required property 'filter'/],
			['a filter with an unknown operator', (v) => { v.filter = { regex: 'a+' }; }, /\/filter/],
		],
	},
	ModeratorUserWebhook: {
		// Of the options, moderators see only the format.
		valid: (({
			secret: _secret, filter: _filter, retryPolicy: _retryPolicy, sendSecretHeader: _sendSecretHeader, previousSecretExpiresAt: _expires,
			excludeSpecifiedNotes: _specified, excludeFollowersNotes: _followers, deliveryRate: _rate, deliveryBurst: _burst, template: _template,
			templateContentType: _contentType, ...shown
		}) => ({
			...shown, user: localUser, hasSecret: false, active: false,
			pausedBy: 'moderator', pausedReason: 'spam', pausedAt: '2025-09-08T00:00:00.000Z', pausedByUserId: '9x0mod0001',
		}))(webhook),
		broken: [
			['a secret', (v) => { v.secret = 'shown'; }, /must NOT be valid/],
			['an option moderators are not shown', (v) => { v.retryPolicy = 'standard'; }, /must NOT have unevaluated properties/],
			['missing user', (v) => delete v.user, /required property 'user'/],
			['missing hasSecret', (v) => delete v.hasSecret, /required property 'hasSecret'/],
		],
	},
	SystemWebhook: {
		valid: systemWebhook,
		broken: [
			['an unknown key', (v) => { v.userId = localUser.id; }, /must NOT have unevaluated properties/],
			['a user event', (v) => { v.on.push('note'); }, /\/on\/2 must be equal to one of/],
			['an unknown format', (v) => { v.format = 'mattermost'; }, /\/format must be equal to one of/],
			['missing filter', (v) => delete v.filter, /required property 'filter'/],
			['missing updatedAt', (v) => delete v.updatedAt, /required property 'updatedAt'/],
		],
	},
	UserWebhookEnvelope: {
		valid: envelope,
		broken: [
			['extra key', (v) => { v.signature = 'x'; }, /must NOT have additional properties \(signature\)/],
			['missing userId', (v) => delete v.userId, /required property 'userId'/],
			['ISO createdAt', (v) => { v.createdAt = '2025-06-01T10:00:01.000Z'; }, /\/createdAt must be integer/],
			['bad eventId', (v) => { v.eventId = 'not-a-uuid'; }, /\/eventId must match format "uuid"/],
			['system event type', (v) => { v.type = 'userCreated'; }, /\/type must be equal to one of/],
		],
	},
	ReactionWebhookBody: {
		valid: reactionBody,
		broken: [
			['missing reaction', (v) => delete v.reaction, /required property 'reaction'/],
			['extra key', (v) => { v.reactionCount = 1; }, /must NOT have additional properties \(reactionCount\)/],
		],
	},
};

const userBody = { user: localUser };
const detailedBody = { user: detailedUser };
for (const [name, valid] of [
	['NoteWebhookBody', { note: localNote }],
	['ReplyWebhookBody', { note: remoteReply }],
	['RenoteWebhookBody', { note: { ...remoteReply, text: null, renoteId: localNote.id, renote: localNote } }],
	['MentionWebhookBody', { note: { ...remoteReply, myReaction: null } }],
	['FollowWebhookBody', detailedBody],
	['FollowedWebhookBody', userBody],
	['UnfollowWebhookBody', detailedBody],
] as const) {
	const key = 'note' in valid ? 'note' : 'user';
	examples[name] = {
		valid,
		broken: [
			[`missing ${key}`, (v) => delete v[key], new RegExp(`required property '${key}'`)],
			['extra key', (v) => { v.extra = 1; }, /must NOT have additional properties \(extra\)/],
			[`wrong ${key} type`, (v) => { v[key] = 'x'; }, new RegExp(`/${key} must be object`)],
		],
	};
}

describe('schemas', () => {
	it('loads every schema file with a matching $id and title', () => {
		const files = loadSchemaFiles();
		assert.deepEqual(files.map((f) => f.name).sort(), [
			'AbuseReportAutoResolvedWebhookBody', 'AbuseReportPayload', 'AbuseReportResolvedWebhookBody', 'AbuseReportWebhookBody',
			'DriveFile', 'DriveFolder', 'FollowRequestAcceptedWebhookBody', 'FollowRequestReceivedWebhookBody', 'FollowWebhookBody', 'FollowedWebhookBody',
			'InactiveModeratorsInvitationOnlyChangedWebhookBody', 'InactiveModeratorsWarningWebhookBody',
			'MentionWebhookBody', 'ModeratorUserWebhook', 'Note', 'NoteDeletedWebhookBody', 'NoteEditedWebhookBody', 'NoteWebhookBody', 'Page', 'PageBlock', 'ReactionWebhookBody', 'RenoteWebhookBody', 'ReplyWebhookBody', 'RoleLite',
			'SystemEventType', 'SystemWebhook', 'SystemWebhookEnvelope',
			'UnfollowWebhookBody', 'UserCreatedWebhookBody', 'UserDetailedNotMe', 'UserLite', 'UserWebhook', 'UserWebhookDisabledWebhookBody', 'UserWebhookEnvelope', 'UserWebhookSummary',
			'WebhookDelivery', 'WebhookDeliveryAttempt', 'WebhookDeliveryDetail', 'WebhookFilter', 'WebhookFormat', 'WebhookOptions',
		]);
		for (const { file, schema } of files) {
			assert.match(file, /^([a-z]+\/)*[a-z]+(-[a-z]+)*\.json$/, file);
			assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', file);
		}
	});

	it('only references schemas that exist, or its own definitions', () => {
		const files = loadSchemaFiles();
		const names = new Set(files.map((f) => f.name));
		for (const { file, schema } of files) {
			for (const ref of collectRefs(schema)) {
				// A schema's own definitions (the filter's recursive condition) are resolved within the file.
				if (ref.startsWith('#/$defs/')) continue;
				assert.ok(ref.startsWith(schemaIdPrefix), `${file}: ${ref}`);
				assert.ok(names.has(ref.slice(schemaIdPrefix.length)), `${file}: ${ref}`);
			}
		}
	});

	it('compiles every schema, resolving its refs', () => {
		for (const name of validator.names) {
			assert.doesNotThrow(() => validator.validate(name, {}), name);
		}
		assert.throws(() => validator.validate('NoSuchSchema', {}), /Unknown schema: NoSuchSchema/);
	});

	it('builds UserDetailedNotMe on UserLite, so every UserLite field and rule holds for it', async () => {
		const detailed = new Map(loadSchemaFiles().map((f) => [f.name, f.schema])).get('UserDetailedNotMe')!;
		assert.deepEqual(detailed.allOf[0], { $ref: `${schemaIdPrefix}UserLite` });
		const host = new PackingHost();
		host.addUser('u1');
		const valid = await host.packUserDetailed('u1', 'viewer');
		validator.assert('UserDetailedNotMe', valid);
		assert.equal(validator.validate('UserDetailedNotMe', { ...valid, onlineStatus: 'bogus' }).valid, false, 'a UserLite rule');
		const { avatarUrl: _avatarUrl, ...withoutLiteField } = valid;
		assert.equal(validator.validate('UserDetailedNotMe', withoutLiteField).valid, false, 'a UserLite field');
		const { followersCount: _followersCount, ...withoutDetailedField } = valid;
		assert.equal(validator.validate('UserDetailedNotMe', withoutDetailedField).valid, false, 'a detailed field');
	});

	it('maps each user event type to its body schema', () => {
		for (const type of userWebhookEventTypes) {
			assert.ok(validator.names.includes(eventBodySchemaName(type)), type);
		}
		assert.equal(eventBodySchemaName('follow'), 'FollowWebhookBody');
	});

	it('assert() throws with the ajv errors', () => {
		assert.doesNotThrow(() => validator.assert('Note', localNote));
		const { user: _user, ...userless } = localNote;
		assert.throws(() => validator.assert('Note', userless), /schema Note: .*required property 'user'/);
	});

	for (const [name, { valid, broken }] of Object.entries(examples)) {
		describe(name, () => {
			it('accepts a realistic payload', () => assertValid(name, valid));
			for (const [label, mutate, expected] of broken) {
				it(`rejects ${label}`, () => {
					const value = clone(valid);
					mutate(value);
					assertInvalid(name, value, expected);
				});
			}
		});
	}

	it('accepts unknown keys on entities (hosts may add fields)', () => {
		assertValid('Note', { ...localNote, customField: 1, user: { ...localUser, pronouns: 'she/her' } });
	});

	it('accepts a reply whose target is gone and a note with no optional keys', () => {
		assertValid('Note', remoteReply);
		assertValid('Note', { ...remoteReply, reply: null });
		const minimal = Object.fromEntries(Object.entries(remoteReply).filter(([k]) =>
			['id', 'createdAt', 'text', 'userId', 'user', 'visibility', 'reactionAcceptance', 'reactionEmojis',
				'reactions', 'reactionCount', 'renoteCount', 'repliesCount'].includes(k)));
		assertValid('Note', minimal);
	});
});

describe('test-endpoint dummies', () => {
	const now = new Date('2025-06-01T12:00:00.000Z');

	for (const type of userWebhookEventTypes) {
		const label = type === 'reaction'
			? 'reaction: sends nothing'
			: `${type}: body validates against ${eventBodySchemaName(type)}`;
		it(label, () => {
			const body = dummyUserWebhookBody(type, now);
			if (type === 'reaction') {
				assert.equal(body, null);
				return;
			}
			assertValid(eventBodySchemaName(type), body);
			assertValid('UserWebhookEnvelope', { ...envelope, type, body });
		});
	}

	it('embeds the reply target without detail and the renote target with detail', () => {
		const reply = dummyPackedNote('dummyReply1', now);
		assert.equal(reply.reply?.id, 'dummy-note-1');
		assert.equal('clippedCount' in reply.reply!, false);
		assert.equal('myReaction' in reply.reply!, false);
		assert.equal(reply.renote, null);
		const renote = dummyPackedNote('dummyRenote1', now);
		assert.equal(renote.text, null);
		assert.equal(renote.user.id, 'dummy-user-2');
		assert.equal(renote.renote?.id, 'dummy-note-1');
		assert.equal(renote.renote?.clippedCount, 0);
		assert.equal(renote.renote?.reply, null);
		assert.equal(renote.renote?.myReaction, null);
	});

	it('uses the dummy users and dates', () => {
		assert.deepEqual(dummyUserWebhookBody('followed', now), { user: {
			id: 'dummy-user-2', name: 'DummyUser2', username: 'dummy2', host: null, avatarUrl: '', avatarBlurhash: null,
			avatarDecorations: [], isBot: false, isCat: true, emojis: {}, onlineStatus: 'active', badgeRoles: [],
		} });
		const follow = dummyUserWebhookBody('follow', now) as { user: UserDetailedNotMe };
		assert.equal(follow.user.id, 'dummy-user-1');
		assert.equal(follow.user.createdAt, now.toISOString());
		assert.equal(follow.user.updatedAt, '2025-05-25T12:00:00.000Z');
		assert.equal(follow.user.lastFetchedAt, '2025-05-27T12:00:00.000Z');
		assert.equal('moderationNote' in follow.user, false);
		const unfollow = dummyUserWebhookBody('unfollow', now) as { user: UserDetailedNotMe };
		assert.deepEqual(
			[unfollow.user.id, unfollow.user.followersCount, unfollow.user.followingCount, unfollow.user.notesCount],
			['dummy-user-3', 60, 70, 15900],
		);
		const mention = dummyUserWebhookBody('mention', now) as { note: Note };
		assert.equal(mention.note.text, '@dummy2 This is a mention to you.');
		assert.deepEqual(mention.note.mentions, ['dummy-user-2']);
		assert.equal('uri' in mention.note, false);
	});
});

describe('generated types', () => {
	it('are up to date with the schemas', async () => {
		assert.deepEqual(await findStaleGeneratedFiles(), []);
	});
});
