import assert from 'node:assert/strict';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { expectOk, signUp, callHost, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a delivery the filter should have stopped to arrive before a step is declared complete.
const SETTLE_MS = 500;

describe('content filters on the reference host end to end (child process, real HTTP)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let alice: Account;
	let bob: Account;

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
	});
	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	/** The note texts that reached `path` since `before` requests, once nothing more arrives. */
	async function textsAt(path: string, before: number): Promise<string[]> {
		await receiver.settle(SETTLE_MS);
		return receiver.requests.slice(before).filter((request) => request.path === path).map((request) => request.json.body.note.text);
	}

	it('only the notes a webhook\'s filter lets through are delivered to it; a webhook without one gets every note', async () => {
		const tagged = await expectOk(origin, 'i/webhooks/create', { name: 'tagged', url: receiver.url('/tagged'), on: ['note'], filter: { hashtag: ['misskey'], path: 'note.text' } }, alice.token);
		const publicOnly = await expectOk(origin, 'i/webhooks/create', { name: 'public', url: receiver.url('/public'), on: ['note'], filter: { all: [{ visibility: 'public' }, { not: { path: 'note.text', contains: 'secret' } }] } }, alice.token);
		await expectOk(origin, 'i/webhooks/create', { name: 'all', url: receiver.url('/all'), on: ['note'] }, alice.token);
		assert.deepEqual(tagged.filter, { hashtag: ['misskey'], path: 'note.text' });
		assert.equal(publicOnly.filter.all.length, 2);
		const before = receiver.requests.length;

		for (const note of [
			{ text: 'hello #misskey' },
			{ text: 'hello #MissKey, in capitals' },
			{ text: 'no tag here' },
			{ text: 'a secret for followers', visibility: 'followers' },
			{ text: 'a secret in public' },
		]) await expectOk(origin, 'notes/create', note, alice.token);

		await receiver.waitForRequests(5, 10_000, '/all');
		assert.deepEqual(await textsAt('/tagged', before), ['hello #misskey', 'hello #MissKey, in capitals']);
		assert.deepEqual(await textsAt('/public', before), ['hello #misskey', 'hello #MissKey, in capitals', 'no tag here']);
		assert.equal((await textsAt('/all', before)).length, 5);
	});

	it('a refused filter leaves the webhook as it was: nothing stored, the old filter still decides', async () => {
		const { id } = await expectOk(origin, 'i/webhooks/create', { name: 'kept', url: receiver.url('/kept'), on: ['note'], filter: { hashtag: 'kept', path: 'note.text' } }, bob.token);
		const refused = await callHost(origin, 'i/webhooks/update', { webhookId: id, filter: { all: [{ hashtag: 'kept', path: 'note.text' }, { regex: '.*' }] } }, bob.token);
		assert.equal(refused.status, 400);
		assert.equal(refused.body.error.code, 'INVALID_PARAM');
		assert.equal(refused.body.error.info.path, '/all/1/regex');
		assert.deepEqual((await expectOk(origin, 'i/webhooks/show', { webhookId: id }, bob.token)).filter, { hashtag: 'kept', path: 'note.text' });

		const before = receiver.requests.length;
		await expectOk(origin, 'notes/create', { text: 'not for it' }, bob.token);
		await expectOk(origin, 'notes/create', { text: 'for it #kept' }, bob.token);
		await receiver.waitForRequests(1, 10_000, '/kept');
		assert.deepEqual(await textsAt('/kept', before), ['for it #kept']);
	});
});
