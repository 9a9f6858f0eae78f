import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import type { MisskeyUserWebhookEventType } from '../../src/events/catalogue.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryLedger, type HookUnderTest } from './delivery-ledger.js';
import { callHost, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a stray delivery to arrive before a step is declared complete.
const SETTLE_MS = 400;

/**
 * Misskey counts as mentioned, besides the users a note names, the author of the note replied to and every user a
 * direct note is shown to. Bots that subscribe to `mention` alone must see both, through the reference host.
 */
describe('implied mentions through the reference host (child process, real HTTP, misskey-js)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let ledger: DeliveryLedger;
	let alice: Account;
	let bob: Account;
	let carol: Account;
	let aliceHook: HookUnderTest;
	let bobHook: HookUnderTest;
	let carolHook: HookUnderTest;
	let aliceNote: Misskey.entities.Note;

	const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });

	async function createHook(account: Account, on: readonly MisskeyUserWebhookEventType[]): Promise<HookUnderTest> {
		const path = `/${account.username}`;
		const secret = `${account.username}-secret`;
		const created = await client(account).request('i/webhooks/create', { name: `${account.username} bot`, url: receiver.url(path), secret, on: [...on] });
		return { path, id: created.id, userId: account.id, secret };
	}

	async function post(account: Account, params: Misskey.Endpoints['notes/create']['req']): Promise<Misskey.entities.Note> {
		return (await client(account).request('notes/create', params)).createdNote;
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		ledger = new DeliveryLedger(receiver, { url: origin }, SETTLE_MS);
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		carol = await signUp(origin, 'carol');
		// Bots that listen for mentions only (alice also for replies, to see both of a reply to her).
		aliceHook = await createHook(alice, ['mention', 'reply']);
		bobHook = await createHook(bob, ['mention']);
		carolHook = await createHook(carol, ['mention']);
		aliceNote = await post(alice, { text: 'anyone around?' });
		await ledger.expectNothing();
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('a reply that does not name the replied-to author fires their `mention` (packed for them) besides `reply`', async () => {
		const reply = await post(bob, { text: 'I am', replyId: aliceNote.id });
		assert.deepEqual(reply.mentions, [alice.id]);
		const [mention, replied] = await ledger.expect([{ hook: aliceHook, type: 'mention' }, { hook: aliceHook, type: 'reply' }]);
		assert.equal(mention?.json.body.note.id, reply.id);
		assert.equal(mention?.json.body.note.replyId, aliceNote.id);
		assert.deepEqual(mention?.json.body.note.mentions, [alice.id]);
		// Packed from alice's point of view: her own reaction state is there.
		assert.equal(mention?.json.body.note.myReaction, null);
		assert.equal(replied?.json.body.note.id, reply.id);
	});

	it('replying to yourself fires `reply` but no `mention`', async () => {
		const selfReply = await post(alice, { text: 'still here', replyId: aliceNote.id });
		assert.equal(selfReply.mentions, undefined);
		await ledger.expect([{ hook: aliceHook, type: 'reply' }]);
	});

	it('a reply that also names the replied-to author gives them exactly one `mention`', async () => {
		const reply = await post(carol, { text: '@alice @bob me too', replyId: aliceNote.id });
		assert.deepEqual(reply.mentions, [alice.id, bob.id]);
		await ledger.expect([
			{ hook: aliceHook, type: 'mention' },
			{ hook: aliceHook, type: 'reply' },
			{ hook: bobHook, type: 'mention' },
		]);
	});

	it('a direct note to bob fires bob\'s `mention` with the note readable by him, and nobody else\'s', async () => {
		const direct = await post(alice, { text: 'just for you', visibility: 'specified', visibleUserIds: [bob.id] });
		assert.equal(direct.visibility, 'specified');
		assert.deepEqual(direct.visibleUserIds, [bob.id]);
		assert.deepEqual(direct.mentions, [bob.id]);
		const [mention] = await ledger.expect([{ hook: bobHook, type: 'mention' }]);
		assert.equal(mention?.json.body.note.id, direct.id);
		assert.equal(mention?.json.body.note.text, 'just for you');
		assert.equal(mention?.json.body.note.isHidden, undefined);
		assert.deepEqual(mention?.json.body.note.visibleUserIds, [bob.id]);
	});

	it('a direct note that also names a visible user gives them one `mention`; unknown visible ids are dropped', async () => {
		const direct = await post(alice, { text: '@carol and bob, a secret', visibility: 'specified', visibleUserIds: [bob.id, carol.id, 'nosuchuser0'] });
		assert.deepEqual(direct.visibleUserIds, [bob.id, carol.id]);
		assert.deepEqual(direct.mentions, [carol.id, bob.id]);
		await ledger.expect([{ hook: bobHook, type: 'mention' }, { hook: carolHook, type: 'mention' }]);
	});

	it('a direct reply adds the replied-to author to the audience and mentions them once', async () => {
		const direct = await post(alice, { text: 'between us', visibility: 'specified', visibleUserIds: [bob.id] });
		await ledger.expect([{ hook: bobHook, type: 'mention' }]);
		const answer = await post(bob, { text: 'indeed', replyId: direct.id, visibility: 'specified', visibleUserIds: [] });
		assert.deepEqual(answer.visibleUserIds, [alice.id]);
		assert.deepEqual(answer.mentions, [alice.id]);
		const [mention] = await ledger.expect([{ hook: aliceHook, type: 'mention' }, { hook: aliceHook, type: 'reply' }]);
		assert.equal(mention?.json.body.note.text, 'indeed');
	});

	it('a direct note to yourself alone, as a reply to yourself, mentions nobody', async () => {
		const own = await post(alice, { text: 'note to self', visibility: 'specified' });
		await ledger.expectNothing();
		const more = await post(alice, { text: 'more', replyId: own.id, visibility: 'specified' });
		// Misskey adds the replied-to author (here the author herself) to the audience, but that is no mention.
		assert.deepEqual(more.visibleUserIds, [alice.id]);
		assert.equal(more.mentions, undefined);
		await ledger.expect([{ hook: aliceHook, type: 'reply' }]);
	});

	it('a public reply to a direct note is refused in Misskey\'s envelope and fires nothing', async () => {
		const direct = await post(alice, { text: 'keep it quiet', visibility: 'specified', visibleUserIds: [bob.id] });
		await ledger.expect([{ hook: bobHook, type: 'mention' }]);
		const refused = await callHost(origin, 'notes/create', { text: 'LOUD', replyId: direct.id }, bob.token);
		assert.equal(refused.status, 400);
		assert.equal(refused.body.error.code, 'CANNOT_REPLY_TO_SPECIFIED_VISIBILITY_NOTE_WITH_EXTENDED_VISIBILITY');
		await ledger.expectNothing();
	});

	it('a visible user list on a note that is not direct is ignored: no audience, no mention', async () => {
		const open = await post(alice, { text: 'for everyone', visibility: 'home', visibleUserIds: [bob.id] });
		assert.equal(open.visibleUserIds, undefined);
		assert.equal(open.mentions, undefined);
		await ledger.expectNothing();
	});
});
