import assert from 'node:assert/strict';
import type { Note, UserDetailedNotMe, UserLite, WebhookEvents } from '../../src/index.js';
import { recipientsOfNoteCreated, recipientsOfNoteDeleted } from '../../src/events/rules.js';
import { createMisskeyHostAdapter } from '../../src/misskey/adapter.js';
import { abuseReportEvent, noteCreatedEvent, noteDeletedEvent, raiseSystemWebhookEvent } from '../../src/misskey/events.js';
import { misskeyWebhookMigrations } from '../../src/misskey/migrations.js';
import { redisUrlOf } from '../../src/misskey/module.js';
import type { MiAbuseUserReport, MiNote, MinimumUser, MisskeyServices } from '../../src/misskey/services.js';

// Misskey itself does not run here: its services are stood in for by objects of the declared shapes, recording calls.

const alice: MinimumUser = { id: 'alice', host: null };
const bob: MinimumUser = { id: 'bob', host: null };
const carol: MinimumUser = { id: 'carol', host: null };

function miNote(author: MinimumUser, changes: Partial<MiNote> = {}): MiNote {
	return {
		id: 'n1', userId: author.id, userHost: author.host, threadId: null,
		replyId: null, replyUserId: null, replyUserHost: null, renoteId: null, renoteUserId: null, renoteUserHost: null,
		visibility: 'public', visibleUserIds: [], ...changes,
	};
}

const mentionsOf = (note: MiNote, mentioned: MinimumUser[], visible: MinimumUser[]) => recipientsOfNoteCreated(noteCreatedEvent(note, mentioned, visible, false), { threadMutedBy: new Set() })
	.filter((recipient) => recipient.type === 'mention')
	.map((recipient) => recipient.ownerId);

describe('misskey-webhooks/misskey: the event calls and the adapter on Misskey-shaped services', () => {
	describe('noteCreatedEvent with what NoteCreateService.postNoteCreated holds', () => {
		it('a direct reply, with the lists as Misskey\'s create left them, mentions the replied-to author and the audience once each', () => {
			// create pushed the reply author into mentionedUsers, then the visible users, then the reply author into visibleUsers.
			const note = miNote(bob, { threadId: 'r1', replyId: 'r1', replyUserId: 'alice', replyUserHost: null, visibility: 'specified', visibleUserIds: ['carol', 'alice'] });
			assert.deepEqual(mentionsOf(note, [alice, carol], [carol, alice]), ['alice', 'carol']);
		});

		it('a direct reply to yourself mentions nobody, though create put you in its audience', () => {
			const note = miNote(alice, { threadId: 'r1', replyId: 'r1', replyUserId: 'alice', replyUserHost: null, visibility: 'specified', visibleUserIds: ['alice'] });
			assert.deepEqual(mentionsOf(note, [], [alice]), []);
		});

		it('reply and renote authors come from the note\'s own columns, remote hosts kept', () => {
			const note = miNote(alice, { replyId: 'r1', replyUserId: 'remy', replyUserHost: 'remote.example', renoteId: 'q1', renoteUserId: 'bob', renoteUserHost: null });
			const event = noteCreatedEvent(note, [], null, true);
			assert.deepEqual(event.note.reply, { id: 'r1', user: { id: 'remy', host: 'remote.example' } });
			assert.deepEqual(event.note.renote, { id: 'q1', user: { id: 'bob', host: null } });
			assert.deepEqual(event.note.visibleUsers, []);
			assert.equal(event.silent, true);
		});

		it('noteDeletedEvent: the author as NoteDeleteService got it, its time, and quiet as silent; the author alone receives it', () => {
			const deletedAt = new Date('2025-09-08T09:30:00.000Z');
			const event = noteDeletedEvent(alice, miNote(alice), deletedAt, false);
			assert.deepEqual(event, { note: { id: 'n1', user: { id: 'alice', host: null } }, deletedAt, silent: false });
			assert.deepEqual(recipientsOfNoteDeleted(event).map((recipient) => [recipient.ownerId, recipient.type]), [['alice', 'noteDeleted']]);
			assert.deepEqual(recipientsOfNoteDeleted(noteDeletedEvent(alice, miNote(alice), deletedAt, true)), []);
		});

		it('an abuse report row passes its columns, and nothing else', () => {
			const row: MiAbuseUserReport & { targetUser: null } = {
				id: 'r1', targetUserId: 'bob', targetUserHost: null, reporterId: 'alice', reporterHost: null, assigneeId: null,
				resolved: false, forwarded: false, comment: 'spam', moderationNote: '', resolvedAs: null, targetUser: null,
			};
			assert.deepEqual(Object.keys(abuseReportEvent(row)).sort(), ['assigneeId', 'comment', 'forwarded', 'id', 'moderationNote', 'reporterHost', 'reporterId', 'resolved', 'resolvedAs', 'targetUserHost', 'targetUserId']);
		});
	});

	describe('createMisskeyHostAdapter', () => {
		const calls: unknown[][] = [];
		class AuthenticationError extends Error {
			constructor(message: string) {
				super(message);
				this.name = 'AuthenticationError';
			}
		}
		const services: MisskeyServices = {
			noteEntityService: { pack: async (...args) => { calls.push(['pack note', ...args]); return {} as Note; } },
			userEntityService: {
				pack: (async (...args: unknown[]) => { calls.push(['pack user', ...args]); return {}; }) as unknown as MisskeyServices['userEntityService']['pack'],
			},
			roleService: {
				getUserPolicies: async (userId) => ({ webhookLimit: userId === 'bob' ? 10 : 3 }),
				isModerator: async (user) => user?.id === 'mod',
			},
			noteThreadMutingsRepository: { exists: async ({ where }) => where.userId === 'alice' && where.threadId === 't1' },
			authenticateService: {
				async authenticate(token) {
					if (token === 'native') return [{ id: 'mod', host: null, isSuspended: false }, null];
					if (token === 'app') return [{ id: 'bob', host: null, isSuspended: true }, { id: 'tok', permission: ['read:account'] }];
					if (token === 'broken') throw new Error('database down');
					throw new AuthenticationError('user not found');
				},
			},
			moderationLogService: { log: async (...args) => { calls.push(['log', ...args]); } },
			notificationService: { createNotification: (...args) => { calls.push(['notify', ...args]); } },
			abuseReportNotificationService: {
				fetchWebhookRecipients: async () => [
					{ isActive: true, systemWebhookId: 's-on' },
					{ isActive: false, systemWebhookId: 's-off' },
					{ isActive: false, systemWebhookId: null },
				],
			},
		};
		const other: unknown[][] = [];
		const adapter = createMisskeyHostAdapter(services, { logOtherModeratorAction: async (...args) => { other.push(args); } });

		beforeEach(() => {
			calls.length = 0;
			other.length = 0;
		});

		it('authenticates a native token, an app token with its permissions, and answers null for an unknown one', async () => {
			assert.deepEqual(await adapter.authenticate('native'), { user: { id: 'mod', isSuspended: false }, isNativeToken: true, permissions: [], isModerator: true });
			assert.deepEqual(await adapter.authenticate('app'), { user: { id: 'bob', isSuspended: true }, isNativeToken: false, permissions: ['read:account'], isModerator: false });
			assert.equal(await adapter.authenticate('nonsense'), null);
		});

		it('lets any other failure of AuthenticateService through instead of calling it an unknown token', async () => {
			await assert.rejects(adapter.authenticate('broken'), /database down/);
		});

		it('reads webhookLimit from the role policies and thread mutes from the repository', async () => {
			assert.equal(await adapter.webhookLimit?.('bob'), 10);
			assert.equal(await adapter.isThreadMuted('alice', 't1'), true);
			assert.equal(await adapter.isThreadMuted('alice', 't2'), false);
		});

		it('packs a note without viewer unhidden with the reaction pairs, and with a viewer as a mention is packed', async () => {
			await adapter.packNote('n1', null);
			await adapter.packNote('n1', 'bob');
			assert.deepEqual(calls, [
				['pack note', 'n1', null, { detail: true, skipHide: true, withReactionAndUserPairCache: true }],
				['pack note', 'n1', { id: 'bob' }, { detail: true }],
			]);
		});

		it('packs users with the schema asked for', async () => {
			const lite: UserLite = await adapter.packUserLite('bob');
			const detailed: UserDetailedNotMe = await adapter.packUserDetailed('bob', 'alice');
			assert.ok(lite && detailed);
			assert.deepEqual(calls, [
				['pack user', 'bob', null, { schema: 'UserLite' }],
				['pack user', 'bob', { id: 'alice' }, { schema: 'UserDetailedNotMe' }],
			]);
		});

		it('leaves out of abuse reports the system webhooks that inactive recipients name, and only those', async () => {
			assert.deepEqual(await adapter.systemWebhookIdsExcludedFromAbuseReports?.(), ['s-off']);
		});

		it('writes Misskey\'s moderation log types to ModerationLogService and hands the module\'s own to the fork', async () => {
			await adapter.logModeratorAction?.('mod', 'createSystemWebhook', { systemWebhookId: 's1' });
			await adapter.logModeratorAction?.('mod', 'updateUserWebhook', { webhookId: 'w1' });
			assert.deepEqual(calls, [['log', { id: 'mod' }, 'createSystemWebhook', { systemWebhookId: 's1' }]]);
			assert.deepEqual(other, [['mod', 'updateUserWebhook', { webhookId: 'w1' }]]);
		});

		it('tells the owner of a paused webhook with an app notification that names it and the reason', async () => {
			await adapter.notifyWebhookDisabled?.('bob', { id: 'w1', name: 'my bot', url: 'https://bot.example/hook' }, 'gone (410)');
			assert.equal(calls.length, 1);
			const [kind, userId, type, data] = calls[0] as [string, string, string, { customBody: string; appAccessTokenId: null }];
			assert.deepEqual([kind, userId, type, data.appAccessTokenId], ['notify', 'bob', 'app', null]);
			assert.match(data.customBody, /"my bot".*gone \(410\)/);
		});
	});

	describe('redisUrlOf', () => {
		it('builds the job-queue Redis URL from Misskey\'s config, with password, database and IPv6 host', () => {
			assert.equal(redisUrlOf({ host: 'localhost', port: 6379 }), 'redis://localhost:6379/0');
			assert.equal(redisUrlOf({ host: 'redis.internal', port: 6380, pass: 'p@ss', db: 2 }), 'redis://:p%40ss@redis.internal:6380/2');
			assert.equal(redisUrlOf({ host: '::1', port: 6379 }), 'redis://[::1]:6379/0');
		});
	});
});

describe('misskey-webhooks/misskey: the migrations as Misskey lists them', () => {
	it('keeps the module\'s migrations in order under fixed names that sort after Misskey 2025.9\'s last migration', () => {
		const names = misskeyWebhookMigrations.map((Migration) => new Migration().name);
		assert.deepEqual(names, [
			'MisskeyWebhooksWebhook1757400000000',
			'MisskeyWebhooksSystemWebhook1757400000100',
			'MisskeyWebhooksWebhookPause1757400000200',
			'MisskeyWebhooksDeliveryOptions1757400000300',
			'MisskeyWebhooksWebhookDeliveryLog1757400000400',
			'MisskeyWebhooksPayloadFormat1757400000500',
			'MisskeyWebhooksWebhookModeratorPause1757400000600',
			'MisskeyWebhooksWebhookEventIntake1757400000700',
			'MisskeyWebhooksPayloadTemplate1757400000800',
			'MisskeyWebhooksWebhookFilter1757400000900',
			'MisskeyWebhooksDeliveryRate1757400001000',
		]);
		// Misskey 2025.9.0's newest migration is NonCascadingPageEyeCatching1756062689648.
		assert.ok(names.every((name) => Number(name.slice(-13)) > 1756062689648));
	});
});

describe('misskey-webhooks/misskey: what SystemWebhookService is asked to send, raised as system events', () => {
	it('reads the ids from each content and raises the matching event', () => {
		const raised: unknown[][] = [];
		const events = new Proxy({}, { get: (_, name) => (...args: unknown[]) => { raised.push([name, ...args]); return Promise.resolve(); } }) as WebhookEvents;
		const report = { id: 'r1', targetUserId: 'bob', targetUserHost: null, reporterId: 'alice', reporterHost: null, assigneeId: null, resolved: false, forwarded: false, comment: 'spam', moderationNote: '', resolvedAs: null, reporter: {}, targetUser: {}, assignee: null };
		raiseSystemWebhookEvent(events, 'abuseReport', report);
		raiseSystemWebhookEvent(events, 'abuseReportResolved', { ...report, resolved: true, resolvedAs: 'accept' });
		raiseSystemWebhookEvent(events, 'userCreated', { id: 'carol', username: 'carol' });
		raiseSystemWebhookEvent(events, 'inactiveModeratorsWarning', { remainingTime: { time: 1, asHours: 2, asDays: 3 } });
		raiseSystemWebhookEvent(events, 'inactiveModeratorsInvitationOnlyChanged', {});
		const row = { id: 'r1', targetUserId: 'bob', targetUserHost: null, reporterId: 'alice', reporterHost: null, assigneeId: null, resolved: false, forwarded: false, comment: 'spam', moderationNote: '', resolvedAs: null };
		assert.deepEqual(raised, [
			['abuseReport', row],
			['abuseReportResolved', { ...row, resolved: true, resolvedAs: 'accept' }],
			['userCreated', { id: 'carol' }],
			['inactiveModeratorsWarning', { remainingTime: { time: 1, asHours: 2, asDays: 3 } }],
			['inactiveModeratorsInvitationOnlyChanged'],
		]);
	});
});
