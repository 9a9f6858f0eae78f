import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import { misskeyUserWebhookEventTypes, type MisskeyUserWebhookEventType } from '../../src/events/catalogue.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { resetDatabase } from '../support/database.js';
import { testDatabaseUrl, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryLedger, type HookUnderTest } from './delivery-ledger.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { freePort, startHostProcess, startReferenceHost, type HostProcess } from './host-process.js';

const RETRY_DELAYS_MS = [50, 100];
// Long enough for a stray delivery (or the last retry above) to arrive before a step is declared complete.
const SETTLE_MS = 400;

/** misskey-js rejects with the API error object; this checks its code. */
async function rejectsWithCode(call: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(call, (error: { code?: string }) => {
		assert.equal(error.code, code);
		return true;
	});
}

describe('the reference host end to end (child process, real HTTP, misskey-js for i/webhooks/*)', function () {
	this.timeout(60_000);

	const schemas = createSchemaValidator();
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let serverUrl: string;
	let ledger: DeliveryLedger;
	let alice: Account;
	let bob: Account;
	let carol: Account;
	let aliceHook: HookUnderTest;
	let bobHook: HookUnderTest;
	let bobNotesHook: HookUnderTest;
	let carolHook: HookUnderTest;
	let aliceNote: any;
	let bobReply: any;

	const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });

	async function createHook(account: Account, path: string, on: readonly MisskeyUserWebhookEventType[], secret: string): Promise<HookUnderTest> {
		const created = await client(account).request('i/webhooks/create', { name: `${account.username}${path}`, url: receiver.url(path), secret, on: [...on] });
		return { path, id: created.id, userId: account.id, secret };
	}

	async function post(account: Account, params: Record<string, unknown>): Promise<any> {
		return (await expectOk(origin, 'notes/create', params, account.token)).createdNote;
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost(RETRY_DELAYS_MS);
		serverUrl = host.listenUrl;
		origin = host.listenUrl;
		ledger = new DeliveryLedger(receiver, { url: serverUrl }, SETTLE_MS);

		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		carol = await signUp(origin, 'carol');
		aliceHook = await createHook(alice, '/alice', misskeyUserWebhookEventTypes, 'alice-secret');
		bobHook = await createHook(bob, '/bob', misskeyUserWebhookEventTypes, 'bob-secret');
		bobNotesHook = await createHook(bob, '/bob-notes', ['note'], 'bob-notes-secret');
		// Misskey allows an empty secret; the header is then sent empty.
		carolHook = await createHook(carol, '/carol', ['followed'], '');
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('the first account is the administrator, and `i` answers the caller of a Bearer token', async () => {
		assert.equal(alice.isAdmin, true);
		assert.equal(bob.isAdmin, false);
		const me = await expectOk(origin, 'i', {}, bob.token);
		assert.equal(me.id, bob.id);
		assert.equal(me.username, 'bob');
		schemas.assert('UserLite', { ...me });
	});

	it('misskey-js lists and shows the caller\'s webhooks with secrets and no status yet; another user\'s is no such webhook', async () => {
		const list = await client(bob).request('i/webhooks/list', {});
		assert.deepEqual(list.map((hook) => hook.id).sort(), [bobHook.id, bobNotesHook.id].sort());
		for (const hook of list) schemas.assert('UserWebhook', hook);
		const shown = await client(alice).request('i/webhooks/show', { webhookId: aliceHook.id });
		assert.deepEqual(
			{ id: shown.id, userId: shown.userId, url: shown.url, secret: shown.secret, on: shown.on, active: shown.active, latestStatus: shown.latestStatus, latestSentAt: shown.latestSentAt },
			{ id: aliceHook.id, userId: alice.id, url: receiver.url('/alice'), secret: 'alice-secret', on: [...misskeyUserWebhookEventTypes], active: true, latestStatus: null, latestSentAt: null },
		);
		await rejectsWithCode(client(carol).request('i/webhooks/show', { webhookId: aliceHook.id }), 'NO_SUCH_WEBHOOK');
		await ledger.expectNothing();
	});

	it('bob following alice sends bob `follow` (alice, followed by him) and alice `followed` (bob)', async () => {
		await expectOk(origin, 'following/create', { userId: alice.id }, bob.token);
		const [follow, followed] = await ledger.expect([{ hook: bobHook, type: 'follow' }, { hook: aliceHook, type: 'followed' }]);
		assert.equal(follow?.json.body.user.id, alice.id);
		assert.equal(follow?.json.body.user.isFollowing, true);
		assert.equal(follow?.json.body.user.isFollowed, false);
		assert.equal(followed?.json.body.user.id, bob.id);
		assert.equal(followed?.json.body.user.username, 'bob');
	});

	it('alice posting sends alice `note` and nobody else anything', async () => {
		aliceNote = await post(alice, { text: 'hello world' });
		const [note] = await ledger.expect([{ hook: aliceHook, type: 'note' }]);
		assert.equal(note?.json.body.note.id, aliceNote.id);
		assert.equal(note?.json.body.note.text, 'hello world');
		assert.equal(note?.json.body.note.user.id, alice.id);
	});

	it('bob replying to alice sends bob `note` and alice `reply` and `mention` (as in Misskey) carrying the new note', async () => {
		bobReply = await post(bob, { text: 'hi alice', replyId: aliceNote.id });
		const [, , reply, mention] = await ledger.expect([
			{ hook: bobHook, type: 'note' },
			{ hook: bobNotesHook, type: 'note' },
			{ hook: aliceHook, type: 'reply' },
			{ hook: aliceHook, type: 'mention' },
		]);
		assert.equal(reply?.json.body.note.id, bobReply.id);
		assert.equal(reply?.json.body.note.replyId, aliceNote.id);
		assert.equal(reply?.json.body.note.reply.id, aliceNote.id);
		assert.equal(mention?.json.body.note.id, bobReply.id);
	});

	it('replying to yourself fires `reply` as well as `note`', async () => {
		const selfReply = await post(alice, { text: 'adding to my own note', replyId: aliceNote.id });
		const [, reply] = await ledger.expect([{ hook: aliceHook, type: 'note' }, { hook: aliceHook, type: 'reply' }]);
		assert.equal(reply?.json.body.note.id, selfReply.id);
	});

	it('carol mentioning bob (twice, plus an unknown name) sends bob one `mention` packed for him; carol, subscribed only to `followed`, gets nothing', async () => {
		const mentioning = await post(carol, { text: '@bob @BOB @nobody have a look' });
		assert.deepEqual(mentioning.mentions, [bob.id]);
		const [mention] = await ledger.expect([{ hook: bobHook, type: 'mention' }]);
		assert.equal(mention?.json.body.note.id, mentioning.id);
		assert.deepEqual(mention?.json.body.note.mentions, [bob.id]);
		// Packed with bob as viewer, so his own reaction state is present.
		assert.equal(mention?.json.body.note.myReaction, null);
	});

	it('after alice mutes the thread, a reply in it that mentions her sends her neither `reply` nor `mention`', async () => {
		const muted = await callHost(origin, 'notes/thread-muting/create', { noteId: aliceNote.id }, alice.token);
		assert.equal(muted.status, 204);
		await post(bob, { text: '@alice are you still there?', replyId: aliceNote.id });
		await ledger.expect([{ hook: bobHook, type: 'note' }, { hook: bobNotesHook, type: 'note' }]);
	});

	it('bob renoting alice sends alice `renote` carrying the renote', async () => {
		const renote = await post(bob, { renoteId: aliceNote.id });
		const [, , renoted] = await ledger.expect([
			{ hook: bobHook, type: 'note' },
			{ hook: bobNotesHook, type: 'note' },
			{ hook: aliceHook, type: 'renote' },
		]);
		assert.equal(renoted?.json.body.note.id, renote.id);
		assert.equal(renoted?.json.body.note.text, null);
		assert.equal(renoted?.json.body.note.renote.id, aliceNote.id);
	});

	it('alice renoting herself sends her `note` but no `renote`', async () => {
		await post(alice, { renoteId: aliceNote.id });
		await ledger.expect([{ hook: aliceHook, type: 'note' }]);
	});

	it('a quote counts as a renote for the quoted author', async () => {
		const quote = await post(bob, { text: 'look at this', renoteId: aliceNote.id });
		const [, , renoted] = await ledger.expect([
			{ hook: bobHook, type: 'note' },
			{ hook: bobNotesHook, type: 'note' },
			{ hook: aliceHook, type: 'renote' },
		]);
		assert.equal(renoted?.json.body.note.id, quote.id);
		assert.equal(renoted?.json.body.note.text, 'look at this');
	});

	it('bob reacting to alice\'s note sends alice `reaction` with the note, the reaction and bob', async () => {
		const reacted = await callHost(origin, 'notes/reactions/create', { noteId: aliceNote.id, reaction: '👍' }, bob.token);
		assert.equal(reacted.status, 204);
		const [reaction] = await ledger.expect([{ hook: aliceHook, type: 'reaction' }]);
		assert.equal(reaction?.json.body.reaction, '👍');
		assert.equal(reaction?.json.body.user.id, bob.id);
		assert.equal(reaction?.json.body.note.id, aliceNote.id);
		assert.deepEqual(reaction?.json.body.note.reactions, { '👍': 1 });
	});

	it('bob unfollowing alice sends bob `unfollow` (alice, no longer followed by him) and alice nothing', async () => {
		await expectOk(origin, 'following/delete', { userId: alice.id }, bob.token);
		const [unfollow] = await ledger.expect([{ hook: bobHook, type: 'unfollow' }]);
		assert.equal(unfollow?.json.body.user.id, alice.id);
		assert.equal(unfollow?.json.body.user.isFollowing, false);
	});

	it('a webhook deactivated with i/webhooks/update gets nothing while the owner\'s other webhook still does', async () => {
		await client(bob).request('i/webhooks/update', { webhookId: bobNotesHook.id, active: false });
		const shown = await client(bob).request('i/webhooks/show', { webhookId: bobNotesHook.id });
		assert.equal(shown.active, false);
		await post(bob, { text: 'quiet now' });
		await ledger.expect([{ hook: bobHook, type: 'note' }]);
	});

	it('a webhook deleted with i/webhooks/delete is gone from the list and gets nothing more', async () => {
		await expectOk(origin, 'following/create', { userId: carol.id }, bob.token);
		const [, followed] = await ledger.expect([{ hook: bobHook, type: 'follow' }, { hook: carolHook, type: 'followed' }]);
		assert.equal(followed?.headers['x-misskey-hook-secret'], '');
		await expectOk(origin, 'following/delete', { userId: carol.id }, bob.token);
		await ledger.expect([{ hook: bobHook, type: 'unfollow' }]);

		await client(carol).request('i/webhooks/delete', { webhookId: carolHook.id });
		assert.deepEqual(await client(carol).request('i/webhooks/list', {}), []);
		await expectOk(origin, 'following/create', { userId: carol.id }, bob.token);
		await ledger.expect([{ hook: bobHook, type: 'follow' }]);
	});

	it('users/show packs a user as UserDetailedNotMe with the relationship the caller sees', async () => {
		const shown = await callHost(origin, 'users/show', { username: 'carol' }, bob.token);
		assert.equal(shown.status, 200);
		schemas.assert('UserDetailedNotMe', shown.body);
		assert.equal(shown.body.id, carol.id);
		assert.equal(shown.body.isFollowing, true);
		assert.equal(shown.body.isFollowed, false);
		assert.equal(shown.body.followersCount, 1);
	});

	it('host endpoints answer refusals in Misskey\'s error envelope and raise no event', async () => {
		const cases: Array<{ endpoint: string; params: Record<string, unknown>; token?: string; status: number; code: string }> = [
			{ endpoint: 'following/create', params: { userId: carol.id }, token: bob.token, status: 400, code: 'ALREADY_FOLLOWING' },
			{ endpoint: 'following/delete', params: { userId: carol.id }, token: alice.token, status: 400, code: 'NOT_FOLLOWING' },
			{ endpoint: 'following/create', params: { userId: 'nosuchuser0' }, token: alice.token, status: 400, code: 'NO_SUCH_USER' },
			{ endpoint: 'notes/reactions/create', params: { noteId: aliceNote.id, reaction: '👍' }, token: bob.token, status: 400, code: 'ALREADY_REACTED' },
			{ endpoint: 'notes/reactions/create', params: { noteId: 'nosuchnote0', reaction: '👍' }, token: bob.token, status: 400, code: 'NO_SUCH_NOTE' },
			{ endpoint: 'notes/create', params: { text: 'x', visibility: 'everyone' }, token: bob.token, status: 400, code: 'INVALID_PARAM' },
			{ endpoint: 'users/show', params: { userId: 'nosuchuser0' }, status: 400, code: 'NO_SUCH_USER' },
			{ endpoint: 'i', params: {}, status: 401, code: 'CREDENTIAL_REQUIRED' },
			{ endpoint: 'i', params: {}, token: 'not-a-token', status: 401, code: 'AUTHENTICATION_FAILED' },
		];
		for (const { endpoint, params, token, status, code } of cases) {
			const reply = await callHost(origin, endpoint, params, token);
			assert.equal(reply.status, status, `${endpoint} → ${code}`);
			assert.equal(reply.body.error.code, code);
			assert.match(reply.body.error.id, /^[0-9a-f-]{36}$/);
		}
		await ledger.expectNothing();
	});

	it('a webhook answering 500 is retried per WEBHOOK_RETRY_DELAYS_MS, and i/webhooks/show reports latestStatus 500', async () => {
		const dave = await signUp(origin, 'dave');
		const failingHook = await createHook(dave, '/dave-failing', ['note'], 'dave-secret');
		receiver.replyAlways((request) => ({ status: request.path === '/dave-failing' ? 500 : 200 }));
		try {
			await post(dave, { text: 'is anyone there?' });
			const attempts = await ledger.expect(Array.from({ length: RETRY_DELAYS_MS.length + 1 }, () => ({ hook: failingHook, type: 'note' as const })));
			assert.equal(new Set(attempts.map((attempt) => attempt.json.eventId)).size, 1, 'retries keep the eventId');
			const times = attempts.map((attempt) => attempt.receivedAt).sort((a, b) => a - b);
			RETRY_DELAYS_MS.forEach((delayMs, i) => {
				// Timers may fire a few milliseconds early; a retry without the delay would come at once.
				assert.ok((times[i + 1] ?? 0) - (times[i] ?? 0) >= delayMs - 5, `retry ${i + 1} waited at least ${delayMs} ms`);
			});
		} finally {
			receiver.replyAlways({ status: 200 });
		}
		const shown = await client(dave).request('i/webhooks/show', { webhookId: failingHook.id });
		assert.equal(shown.latestStatus, 500);
		assert.equal(typeof shown.latestSentAt, 'string');
	});

	it('i/webhooks/test delivers Misskey\'s dummy payload, ignoring `active` and `on`, also to an overriding url and secret', async () => {
		// bobNotesHook is inactive and subscribed to `note` only; a test delivery goes out regardless.
		await client(bob).request('i/webhooks/test', { webhookId: bobNotesHook.id, type: 'follow' });
		const [follow] = await ledger.expect([{ hook: bobNotesHook, type: 'follow' }]);
		assert.equal(follow?.json.body.user.id, 'dummy-user-1');

		await client(alice).request('i/webhooks/test', {
			webhookId: aliceHook.id,
			type: 'mention',
			override: { url: receiver.url('/override'), secret: 'override-secret' },
		});
		const [mention] = await ledger.expect([{ hook: { ...aliceHook, path: '/override', secret: 'override-secret' }, type: 'mention' }]);
		assert.equal(mention?.json.body.note.id, 'dummy-mention-1');
	});

	it('a fourth webhook is refused with TOO_MANY_WEBHOOKS (the host\'s webhookLimit is 3)', async () => {
		for (let i = 0; i < 3; i++) await createHook(carol, `/carol-${i}`, ['reaction'], `carol-${i}`);
		await rejectsWithCode(createHook(carol, '/carol-3', ['reaction'], 'carol-3'), 'TOO_MANY_WEBHOOKS');
		await ledger.expectNothing();
	});

	it('SIGTERM shuts the host down cleanly (exit code 0)', async () => {
		const running = host;
		host = undefined;
		assert.equal(await running?.stop(), 0);
	});
});

describe('npm start (the README command)', function () {
	this.timeout(60_000);
	let host: HostProcess | undefined;

	after(async () => {
		await host?.stop();
	});

	it('prints the listening line on the given PORT, everything else from the defaults', async () => {
		await resetDatabase();
		const port = await freePort();
		// Database and Redis are the suite's, which are the host's own defaults when the suite runs with its defaults.
		host = await startHostProcess({ command: ['npm', 'start'], env: { PORT: String(port), DATABASE_URL: testDatabaseUrl, REDIS_URL: testRedisUrl } });
		assert.equal(host.listenUrl, `http://127.0.0.1:${port}`);
		const reply = await callHost(host.listenUrl, 'i', {});
		assert.equal(reply.body.error.code, 'CREDENTIAL_REQUIRED');
	});
});
