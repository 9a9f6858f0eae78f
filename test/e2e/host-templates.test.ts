import assert from 'node:assert/strict';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { signatureHeaders, verifierOf, verifies } from '../support/signature.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { MATTERMOST_TEMPLATE } from '../../scripts/format-templates.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

describe('payload templates on the reference host end to end (child process, real HTTP)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let admin: Account;
	let alice: Account;
	let bob: Account;
	const secret = newWhsecSecret();

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		admin = await signUp(origin, 'admin');
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		await expectOk(origin, 'i/webhooks/create', { name: 'to mattermost', url: receiver.url('/mattermost'), secret, on: ['note'], template: MATTERMOST_TEMPLATE }, alice.token);
		await expectOk(origin, 'admin/system-webhook/create', {
			isActive: true, name: 'reports as text', url: receiver.url('/system-text'), secret, on: ['abuseReport'],
			template: 'Report on {{body.targetUser.username}} by {{body.reporter.username}}: {{body.comment}}', templateContentType: 'text/plain',
		}, admin.token);
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('a note reaches the Mattermost template as JSON with the text escaped, signed over the bytes sent', async () => {
		const text = 'Quote "this", a \\ backslash,\nnew line </script> and 𠮷😀';
		const { createdNote } = await expectOk(origin, 'notes/create', { text }, alice.token);
		const [request] = await receiver.waitForRequests(1, 10_000, '/mattermost');
		assert.equal(request!.headers['content-type'], 'application/json');
		assert.equal(verifies(secret, request!), true);
		assert.doesNotMatch(request!.rawBody, /<\/script>/);
		const body = JSON.parse(request!.rawBody);
		assert.equal(body.text, 'alice posted a note');
		assert.equal(body.attachments[0].text, text);
		assert.equal(body.attachments[0].title_link, `${origin}/notes/${createdNote.id}`);
	});

	it('an abuse report reaches the system webhook\'s text template as text/plain', async () => {
		const reply = await callHost(origin, 'users/report-abuse', { userId: bob.id, comment: 'spam <b>everywhere</b>' }, alice.token);
		assert.ok(reply.status < 300, JSON.stringify(reply));
		const [request] = await receiver.waitForRequests(1, 10_000, '/system-text');
		assert.equal(request!.headers['content-type'], 'text/plain; charset=utf-8');
		assert.equal(request!.rawBody, 'Report on bob by alice: spam <b>everywhere</b>');
		// The verifier parses what it verified as JSON unless told not to: a text body is verified as text.
		assert.doesNotThrow(() => verifierOf(secret).verify(request!.rawBody, signatureHeaders(request!), { jsonParse: false }));
	});
});
