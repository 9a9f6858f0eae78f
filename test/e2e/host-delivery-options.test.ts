import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { resetDatabase } from '../support/database.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a delivery the filters should have held back to arrive anyway.
const SETTLE_MS = 400;

describe('delivery options on the reference host end to end (child process, real HTTP)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let alice: Account;
	const secret = newWhsecSecret();

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		alice = await signUp(origin, 'alice');
		await expectOk(origin, 'i/webhooks/create', { name: 'everything', url: receiver.url('/everything'), secret, on: ['note'] }, alice.token);
		await expectOk(origin, 'i/webhooks/create', {
			name: 'public only', url: receiver.url('/public-only'), secret, on: ['note'],
			excludeSpecifiedNotes: true, excludeFollowersNotes: true, sendSecretHeader: false,
		}, alice.token);
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('the host passes each note\'s visibility: the filtering webhook gets the public note only, the other all three', async () => {
		for (const visibility of ['public', 'followers', 'specified']) {
			await expectOk(origin, 'notes/create', { text: `a ${visibility} note`, visibility }, alice.token);
		}
		await receiver.waitForRequests(4, 10_000);
		const arrived = await receiver.settle(SETTLE_MS);
		const seen = (path: string) => arrived.filter((request) => request.path === path).map((request) => request.json.body.note.visibility).sort();
		assert.deepEqual(seen('/everything'), ['followers', 'public', 'specified']);
		assert.deepEqual(seen('/public-only'), ['public']);
	});

	it('every delivery verifies with the standardwebhooks package; sendSecretHeader: false kept the secret off the wire', async () => {
		const verify = (request: ReceivedRequest) => new Webhook(secret).verify(request.rawBody, {
			'webhook-id': String(request.headers['webhook-id']),
			'webhook-timestamp': String(request.headers['webhook-timestamp']),
			'webhook-signature': String(request.headers['webhook-signature']),
		});
		assert.ok(receiver.requests.length >= 4);
		for (const request of receiver.requests) {
			assert.doesNotThrow(() => verify(request), `${request.path} verifies`);
			assert.equal(request.headers['webhook-id'], request.json.eventId);
			assert.equal(request.headers['x-misskey-hook-secret'], request.path === '/everything' ? secret : undefined);
		}
	});
});
