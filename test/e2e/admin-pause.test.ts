import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import type { UserWebhook } from '../../src/generated/user-webhook.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { DeliveryLedger, type HookUnderTest } from './delivery-ledger.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a stray delivery to arrive before a step is declared complete.
const SETTLE_MS = 400;

describe('a moderator pauses a user webhook on the reference host (child process, real HTTP, misskey-js for the owner)', function () {
	this.timeout(60_000);

	const schemas = createSchemaValidator();
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let ledger: DeliveryLedger;
	let admin: Account;
	let bob: Account;
	let bobHook: HookUnderTest;

	const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });
	const bobPosts = (text: string) => expectOk(origin, 'notes/create', { text }, bob.token);

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		ledger = new DeliveryLedger(receiver, { url: origin }, SETTLE_MS);

		// The first account of the reference host is its administrator.
		admin = await signUp(origin, 'admin');
		bob = await signUp(origin, 'bob');
		const created = await client(bob).request('i/webhooks/create', { name: 'bob notes', url: receiver.url('/bob'), secret: 'bob-secret', on: ['note'] });
		bobHook = { path: '/bob', id: created.id, userId: bob.id, secret: 'bob-secret' };
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it("before the pause, bob's note is delivered", async () => {
		assert.equal(admin.isAdmin, true);
		await bobPosts('before');
		await ledger.expect([{ hook: bobHook, type: 'note' }]);
	});

	it("the administrator sees bob's webhook in admin/webhooks/list with its owner and without its secret", async () => {
		const reply = await callHost(origin, 'admin/webhooks/list', { userId: bob.id }, admin.token);
		assert.equal(reply.status, 200);
		const [item] = reply.body;
		schemas.assert('ModeratorUserWebhook', item);
		assert.deepEqual([item.id, item.user.username, item.hasSecret, item.latestStatus], [bobHook.id, 'bob', true, 200]);
		assert.ok(!JSON.stringify(reply.body).includes('bob-secret'));
	});

	it('bob, who is no moderator, cannot use the admin endpoints', async () => {
		const reply = await callHost(origin, 'admin/webhooks/update', { webhookId: bobHook.id, active: false }, bob.token);
		assert.equal(reply.status, 403);
		assert.equal(reply.body.error.code, 'ROLE_PERMISSION_DENIED');
	});

	it("the administrator pauses bob's webhook; bob's next note produces no delivery", async () => {
		const reply = await callHost(origin, 'admin/webhooks/update', { webhookId: bobHook.id, active: false, reason: 'the receiver asked us to stop' }, admin.token);
		assert.equal(reply.status, 204);
		await bobPosts('while paused');
		await ledger.expectNothing();
	});

	it('bob sees the pause and its reason in i/webhooks/show and list through misskey-js', async () => {
		const shown = await client(bob).request('i/webhooks/show', { webhookId: bobHook.id }) as Misskey.entities.UserWebhook & UserWebhook;
		schemas.assert('UserWebhook', shown);
		assert.deepEqual([shown.active, shown.pausedBy, shown.pausedReason], [false, 'moderator', 'the receiver asked us to stop']);
		assert.equal(typeof shown.pausedAt, 'string');
		const [listed] = await client(bob).request('i/webhooks/list', {}) as Array<Misskey.entities.UserWebhook & UserWebhook>;
		assert.equal(listed?.pausedBy, 'moderator');
	});

	it("bob's re-activation is refused with WEBHOOK_PAUSED_BY_MODERATOR, his rename is not", async () => {
		await assert.rejects(client(bob).request('i/webhooks/update', { webhookId: bobHook.id, active: true }), (error: Record<string, unknown>) => {
			assert.ok(Misskey.api.isAPIError(error));
			assert.equal(error.code, 'WEBHOOK_PAUSED_BY_MODERATOR');
			assert.equal(error.id, '01e5baba-81aa-4ffc-9ef9-799b4a59c271');
			return true;
		});
		assert.equal(await client(bob).request('i/webhooks/update', { webhookId: bobHook.id, name: 'bob notes, renamed' }), null);
		const shown = await client(bob).request('i/webhooks/show', { webhookId: bobHook.id });
		assert.deepEqual([shown.name, shown.active], ['bob notes, renamed', false]);
		await bobPosts('still paused');
		await ledger.expectNothing();
	});

	it("once the administrator resumes it, bob's notes are delivered again", async () => {
		const reply = await callHost(origin, 'admin/webhooks/update', { webhookId: bobHook.id, active: true }, admin.token);
		assert.equal(reply.status, 204);
		await bobPosts('resumed');
		await ledger.expect([{ hook: bobHook, type: 'note' }]);
	});
});
