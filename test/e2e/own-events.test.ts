import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName, type SystemWebhookEventType, type UserWebhookEventType } from '../../src/events/catalogue.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a stray delivery to arrive before a step is declared complete.
const SETTLE_MS = 400;

interface HookUnderTest {
	path: string;
	id: string;
	/** The owner of a user webhook; null for a system webhook. */
	userId: string | null;
}

describe('our own events on the reference host end to end (child process, real HTTP): note edited and deleted, follow requests, reports resolved by a rule', function () {
	this.timeout(60_000);

	const schemas = createSchemaValidator();
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let admin: Account;
	let alice: Account;
	let bob: Account;
	let carol: Account;
	let aliceHook: HookUnderTest;
	let bobHook: HookUnderTest;
	let reportsHook: HookUnderTest;
	let seen = 0;

	async function userHook(account: Account, on: string[]): Promise<HookUnderTest> {
		const path = `/${account.username}`;
		const created = await expectOk(origin, 'i/webhooks/create', { name: `${account.username} hook`, url: receiver.url(path), on }, account.token);
		assert.deepEqual(created.on, on, 'on is answered as given, an unknown type included');
		return { path, id: created.id, userId: account.id };
	}

	/** Waits for exactly the expected deliveries (path and type) of this step, checks envelope and body against their schemas. */
	async function expectDeliveries(expected: Array<{ hook: HookUnderTest; type: UserWebhookEventType | SystemWebhookEventType }>): Promise<ReceivedRequest[]> {
		if (expected.length > 0) await receiver.waitForRequests(seen + expected.length, 10_000).catch(() => undefined);
		await receiver.settle(SETTLE_MS);
		const arrived = receiver.requests.slice(seen);
		seen = receiver.requests.length;
		assert.deepEqual(arrived.map((r) => `${r.path} ${r.json?.type}`).sort(), expected.map((e) => `${e.hook.path} ${e.type}`).sort());
		const unclaimed = [...arrived];
		return expected.map(({ hook, type }) => {
			// Each expected delivery claims its own request, so two of one type are two requests.
			const request = unclaimed.splice(unclaimed.findIndex((r) => r.path === hook.path && r.json?.type === type), 1)[0]!;
			assert.equal(request.headers['x-misskey-hook-id'], hook.id);
			if (hook.userId === null) {
				schemas.assert('SystemWebhookEnvelope', request.json);
			} else {
				schemas.assert('UserWebhookEnvelope', request.json);
				assert.equal(request.json.userId, hook.userId);
			}
			schemas.assert(eventBodySchemaName(type), request.json.body);
			return request;
		});
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50, 100]);
		origin = host.listenUrl;
		admin = await signUp(origin, 'admin');
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		carol = await signUp(origin, 'carol');
		assert.equal((await expectOk(origin, 'i/update', { isLocked: true }, alice.token)).isLocked, true);
		// `edited` is a fork's name for an edit: kept as given, it matches nothing.
		aliceHook = await userHook(alice, ['followRequestReceived', 'followed', 'noteEdited', 'noteDeleted', 'edited']);
		bobHook = await userHook(bob, ['followRequestAccepted', 'follow', 'noteDeleted']);
		const system = await expectOk(origin, 'admin/system-webhook/create', { isActive: true, name: 'reports', url: receiver.url('/reports'), on: ['abuseReport', 'abuseReportResolved', 'abuseReportAutoResolved'] }, admin.token);
		reportsHook = { path: '/reports', id: system.id, userId: null };
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('followRequestReceived: following a locked account makes a request; its owner gets the requester as UserLite', async () => {
		await expectOk(origin, 'following/create', { userId: alice.id }, bob.token);
		const [received] = await expectDeliveries([{ hook: aliceHook, type: 'followRequestReceived' }]);
		assert.equal(received.json.body.user.id, bob.id);
		assert.equal(received.json.body.user.username, 'bob');
	});

	it('followRequestAccepted: accepting sends the requester the followee from their view, beside follow and followed', async () => {
		assert.equal((await callHost(origin, 'following/requests/accept', { userId: carol.id }, alice.token)).body.error.code, 'NO_FOLLOW_REQUEST');
		assert.equal((await callHost(origin, 'following/requests/accept', { userId: bob.id }, alice.token)).status, 204);
		const [accepted, follow, followed] = await expectDeliveries([
			{ hook: bobHook, type: 'followRequestAccepted' },
			{ hook: bobHook, type: 'follow' },
			{ hook: aliceHook, type: 'followed' },
		]);
		assert.equal(accepted.json.body.user.id, alice.id);
		assert.equal(accepted.json.body.user.isLocked, true);
		assert.equal(accepted.json.body.user.isFollowing, true);
		assert.equal(follow.json.body.user.id, alice.id);
		assert.equal(followed.json.body.user.id, bob.id);
	});

	it('a rejected request sends nothing our webhooks asked for (it is unfollow, which they do not take)', async () => {
		await expectOk(origin, 'following/create', { userId: alice.id }, carol.token);
		await expectDeliveries([{ hook: aliceHook, type: 'followRequestReceived' }]);
		assert.equal((await callHost(origin, 'following/requests/reject', { userId: carol.id }, alice.token)).status, 204);
		await expectDeliveries([]);
	});

	it('noteEdited: the author gets the note as it is after the edit', async () => {
		const { createdNote } = await expectOk(origin, 'notes/create', { text: 'frist post' }, alice.token);
		await expectDeliveries([]);
		assert.equal((await callHost(origin, 'notes/edit', { noteId: createdNote.id, text: 'first post' }, bob.token)).body.error.code, 'ACCESS_DENIED');
		await expectOk(origin, 'notes/edit', { noteId: createdNote.id, text: 'first post' }, alice.token);
		const [edited] = await expectDeliveries([{ hook: aliceHook, type: 'noteEdited' }]);
		assert.equal(edited.json.body.note.id, createdNote.id);
		assert.equal(edited.json.body.note.text, 'first post');
	});

	it('noteDeleted: the author gets it whether they or a moderator deleted the note; another user may not delete it', async () => {
		const own = (await expectOk(origin, 'notes/create', { text: 'soon gone' }, alice.token)).createdNote;
		const bobs = (await expectOk(origin, 'notes/create', { text: 'a moderator removes this' }, bob.token)).createdNote;
		assert.equal((await callHost(origin, 'notes/delete', { noteId: own.id }, bob.token)).body.error.code, 'ACCESS_DENIED');
		assert.equal((await callHost(origin, 'notes/delete', { noteId: own.id }, alice.token)).status, 204);
		assert.equal((await callHost(origin, 'notes/delete', { noteId: bobs.id }, admin.token)).status, 204);
		const [byAuthor, byModerator] = await expectDeliveries([{ hook: aliceHook, type: 'noteDeleted' }, { hook: bobHook, type: 'noteDeleted' }]);
		assert.equal(byAuthor.json.body.note.id, own.id);
		assert.equal(byAuthor.json.body.note.userId, alice.id);
		assert.equal(byAuthor.json.body.note.user.username, 'alice');
		assert.ok(Date.parse(byAuthor.json.body.note.deletedAt) <= Date.now());
		assert.equal(byModerator.json.body.note.id, bobs.id);
		assert.equal(byModerator.json.body.note.user.id, bob.id);
		assert.equal((await callHost(origin, 'notes/delete', { noteId: own.id }, alice.token)).body.error.code, 'NO_SUCH_NOTE');
		await expectDeliveries([]);
	});

	it('abuseReportAutoResolved: accepting one report resolves the other open reports on the same user by the rule, with no assignee', async () => {
		for (const [reporter, target, comment] of [[alice, carol, 'spam'], [bob, carol, 'more spam'], [alice, bob, 'unrelated']] as const) {
			assert.equal((await callHost(origin, 'users/report-abuse', { userId: target.id, comment }, reporter.token)).status, 204);
		}
		const filed = await expectDeliveries([0, 1, 2].map(() => ({ hook: reportsHook, type: 'abuseReport' as const })));
		const first = filed.map((request) => request.json.body).find((report) => report.comment === 'spam')!;
		assert.equal((await callHost(origin, 'admin/resolve-abuse-user-report', { reportId: first.id, resolvedAs: 'accept' }, admin.token)).status, 204);
		const [resolved, auto] = await expectDeliveries([{ hook: reportsHook, type: 'abuseReportResolved' }, { hook: reportsHook, type: 'abuseReportAutoResolved' }]);
		assert.equal(resolved.json.body.id, first.id);
		assert.equal(resolved.json.body.assigneeId, admin.id);
		assert.equal(auto.json.body.comment, 'more spam');
		assert.equal(auto.json.body.targetUserId, carol.id);
		assert.equal(auto.json.body.resolved, true);
		assert.equal(auto.json.body.resolvedAs, 'accept');
		assert.equal(auto.json.body.assigneeId, null);
		assert.equal(auto.json.body.moderationNote, `Resolved with report ${first.id}.`);
	});
});
