import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { discordViolations, slackViolations } from '../delivery/format/limits.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

const DELIVERY_TIMEOUT_MS = 10_000;
// Long enough for a delivery nobody expects (an event a refused note should not have raised) to arrive.
const SETTLE_MS = 400;

describe('the reference host keeps what the formats read: CW, poll, localOnly (child process, real HTTP)', function () {
	this.timeout(60_000);

	const schemas = createSchemaValidator();
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let alice: Account;
	let bob: Account;
	let carol: Account;

	async function post(account: Account, params: Record<string, unknown>): Promise<any> {
		return (await expectOk(origin, 'notes/create', params, account.token)).createdNote;
	}

	/** The `count`-th request to `path` since the test began, checked against the envelope and body schemas when it is Misskey's. */
	async function nth(path: string, count: number): Promise<ReceivedRequest> {
		const request = (await receiver.waitForRequests(count, DELIVERY_TIMEOUT_MS, path))[count - 1]!;
		if (path.endsWith('/misskey')) {
			schemas.assert('UserWebhookEnvelope', request.json);
			schemas.assert(eventBodySchemaName(request.json.type), request.json.body);
		}
		return request;
	}

	/** Alice's note in each format, once all three arrived: her webhooks on `note` fire for every note she posts. */
	async function aliceNote(count: number): Promise<{ discord: ReceivedRequest; slack: ReceivedRequest; misskey: ReceivedRequest }> {
		return { discord: await nth('/alice/discord', count), slack: await nth('/alice/slack', count), misskey: await nth('/alice/misskey', count) };
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		carol = await signUp(origin, 'carol');
		for (const format of ['discord', 'slack', 'misskey']) {
			await expectOk(origin, 'i/webhooks/create', { name: `notes to ${format}`, url: receiver.url(`/alice/${format}`), on: ['note'], format }, alice.token);
		}
		for (const format of ['discord', 'misskey']) {
			await expectOk(origin, 'i/webhooks/create', { name: `mentions to ${format}`, url: receiver.url(`/carol/${format}`), on: ['mention'], format }, carol.token);
		}
	});

	beforeEach(() => receiver.clear());

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('a CW note reaches Discord with the text behind a spoiler, Slack without the text, and the misskey envelope with `cw`', async () => {
		const cw = 'spoilers for the finale';
		const text = 'the butler did it';
		const created = await post(alice, { text, cw });
		assert.equal(created.cw, cw);
		assert.equal(created.text, text);
		const { discord, slack, misskey } = await aliceNote(1);

		assert.deepEqual(discordViolations(discord.json), []);
		// The CW in the clear, the text only inside the spoiler a reader clicks open.
		assert.equal(discord.json.embeds[0].description, `**CW:** ${cw}\n||${text}||`);
		assert.equal(discord.rawBody.split(text).length - 1, 1, 'the text appears once, in the spoiler');

		assert.deepEqual(slackViolations(slack.json), []);
		assert.ok(slack.rawBody.includes(`*CW:* ${cw}`), slack.rawBody);
		assert.ok(!slack.rawBody.includes(text), `the text behind the CW reached Slack: ${slack.rawBody}`);

		assert.equal(misskey.json.body.note.id, created.id);
		assert.equal(misskey.json.body.note.cw, cw);
		assert.equal(misskey.json.body.note.text, text);
	});

	it('a note without a CW or a poll packs `cw: null`, `localOnly: false` and no `poll` or `tags`, as Misskey does', async () => {
		const created = await post(alice, { text: 'plain' });
		const { misskey } = await aliceNote(1);
		for (const note of [created, misskey.json.body.note]) {
			assert.equal(note.cw, null);
			assert.equal(note.localOnly, false);
			assert.equal('poll' in note, false);
			assert.equal('tags' in note, false);
		}
	});

	it('a poll is kept and packed as Misskey packs it, shown in Discord and Slack; a poll alone is content enough', async () => {
		const before = Date.now();
		const created = await post(alice, { poll: { choices: ['tea', 'coffee'], expiredAfter: 60_000 } });
		const after = Date.now();
		assert.equal(created.text, null);
		const expiresAt = Date.parse(created.poll.expiresAt);
		assert.ok(expiresAt >= before + 60_000 && expiresAt <= after + 60_000, created.poll.expiresAt);
		assert.deepEqual(created.poll, {
			multiple: false,
			expiresAt: created.poll.expiresAt,
			choices: [{ text: 'tea', votes: 0, isVoted: false }, { text: 'coffee', votes: 0, isVoted: false }],
		});

		const { discord, slack, misskey } = await aliceNote(1);
		assert.deepEqual(misskey.json.body.note.poll, created.poll);
		assert.ok(discord.json.embeds[0].fields.some((field: any) => field.name === 'Poll' && field.value === 'tea / coffee'), JSON.stringify(discord.json));
		assert.ok(slack.rawBody.includes('*Poll*\\ntea / coffee'), slack.rawBody);

		const multiple = await post(bob, { text: 'pick any', poll: { choices: ['a', 'b', 'c'], multiple: true, expiresAt: Date.now() + 3_600_000 } });
		assert.equal(multiple.poll.multiple, true);
		assert.equal(multiple.poll.choices.length, 3);
		assert.ok(Date.parse(multiple.poll.expiresAt) > Date.now());
	});

	it('localOnly is kept, and a reply to a local-only note is local-only too, as in Misskey', async () => {
		const local = await post(alice, { text: 'just here', localOnly: true });
		assert.equal(local.localOnly, true);
		const { misskey } = await aliceNote(1);
		assert.equal(misskey.json.body.note.localOnly, true);

		const reply = await post(bob, { text: 'me too', replyId: local.id });
		assert.equal(reply.localOnly, true);
	});

	it('mentions in the CW and in the poll\'s choices reach the mentioned user, as mentions in the text do', async () => {
		const inCw = await post(bob, { text: 'no names here', cw: 'about @carol' });
		const inPoll = await post(bob, { text: 'who is right?', poll: { choices: ['@carol', 'nobody'] } });
		const mentions = [await nth('/carol/misskey', 1), await nth('/carol/misskey', 2)];
		assert.deepEqual(mentions.map((request) => request.json.type), ['mention', 'mention']);
		assert.deepEqual(mentions.map((request) => request.json.body.note.id).sort(), [inCw.id, inPoll.id].sort());
		await nth('/carol/discord', 2);
	});

	it('a note hidden from the receiver loses its CW and poll with its text, so they reach neither the envelope nor Discord', async () => {
		const cw = 'followers-only CW';
		const hidden = await post(alice, { visibility: 'followers', text: 'only for followers', cw, poll: { choices: ['yes', 'no'] } });
		// A followers-only quote of it that mentions carol: carol may read the quote, not the note it quotes.
		const quote = await post(alice, { visibility: 'followers', renoteId: hidden.id, text: 'hey @carol' });
		assert.equal(quote.renote.cw, cw, 'the author still sees her own CW');
		assert.deepEqual(quote.renote.poll.choices.map((choice: any) => choice.text), ['yes', 'no']);
		await aliceNote(2);

		const misskey = await nth('/carol/misskey', 1);
		const discord = await nth('/carol/discord', 1);
		const renote = misskey.json.body.note.renote;
		assert.equal(misskey.json.body.note.id, quote.id);
		assert.equal(renote.id, hidden.id);
		assert.equal(renote.isHidden, true);
		assert.equal(renote.text, null);
		assert.equal(renote.cw, null);
		assert.equal('poll' in renote, false);
		for (const request of [misskey, discord]) {
			for (const secret of [cw, 'only for followers', 'yes / no']) assert.ok(!request.rawBody.includes(secret), `${request.path} carries "${secret}"`);
		}
	});

	it('a renote with a CW, a poll or a reply of its own is a quote, which may be replied to and renoted; a pure renote may not', async () => {
		const original = await post(carol, { text: 'original' });
		const quotes = [
			await post(bob, { renoteId: original.id, cw: 'careful' }),
			await post(bob, { renoteId: original.id, poll: { choices: ['agree', 'disagree'] } }),
			await post(bob, { renoteId: original.id, replyId: original.id }),
		];
		for (const quote of quotes) {
			assert.equal(quote.text, null);
			await post(carol, { text: 'answering the quote', replyId: quote.id });
			await post(carol, { renoteId: quote.id });
		}
		// The quote that replies to carol mentions her, as every reply mentions the replied-to author.
		await nth('/carol/misskey', 1);
		await nth('/carol/discord', 1);
		const pure = await post(bob, { renoteId: original.id });
		const reply = await callHost(origin, 'notes/create', { text: 'x', replyId: pure.id }, carol.token);
		assert.equal(reply.body?.error?.code, 'CANNOT_REPLY_TO_A_PURE_RENOTE');
		const renote = await callHost(origin, 'notes/create', { renoteId: pure.id }, carol.token);
		assert.equal(renote.body?.error?.code, 'CANNOT_RENOTE_TO_A_PURE_RENOTE');
	});

	it('an expired poll, files and channels, which this host cannot keep, are refused with Misskey\'s errors and raise no event', async () => {
		const refusals: Array<[Record<string, unknown>, string, string]> = [
			[{ text: 'late', poll: { choices: ['a', 'b'], expiresAt: Date.now() - 1000 } }, 'CANNOT_CREATE_ALREADY_EXPIRED_POLL', '04da457d-b083-4055-9082-955525eda5a5'],
			[{ text: 'with a file', fileIds: ['abc123'] }, 'NO_SUCH_FILE', 'b6992544-63e7-67f0-fa7f-32444b1b5306'],
			[{ text: 'with a file', mediaIds: ['abc123'] }, 'NO_SUCH_FILE', 'b6992544-63e7-67f0-fa7f-32444b1b5306'],
			[{ text: 'in a channel', channelId: 'abc123' }, 'NO_SUCH_CHANNEL', 'b1653923-5453-4edc-b786-7c4f39bb0bbb'],
		];
		for (const [params, code, id] of refusals) {
			const reply = await callHost(origin, 'notes/create', params, alice.token);
			assert.equal(reply.status, 400, JSON.stringify(params));
			assert.equal(reply.body.error.code, code);
			assert.equal(reply.body.error.id, id);
		}
		// A CW is not content: a note needs text, a renote or a poll besides it.
		assert.equal((await callHost(origin, 'notes/create', { cw: 'nothing behind it' }, alice.token)).body.error.code, 'CONTENT_REQUIRED');
		assert.equal((await callHost(origin, 'notes/create', { text: 'x', cw: 'c'.repeat(101) }, alice.token)).body.error.code, 'INVALID_PARAM');
		assert.equal((await callHost(origin, 'notes/create', { poll: { choices: ['only one'] } }, alice.token)).body.error.code, 'INVALID_PARAM');
		assert.deepEqual((await receiver.settle(SETTLE_MS)).map((request) => request.path), []);
	});
});
