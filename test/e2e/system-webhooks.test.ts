import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import type { MisskeySystemWebhookEventType, SystemWebhookEventType } from '../../src/events/catalogue.js';
import type { SystemWebhook } from '../../src/generated/system-webhook.js';
import type { webhookPauseKeys } from '../../src/api/packing/webhook-options.js';
import type { WebhookOptionNameOf } from '../../src/core/webhook-options.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a stray delivery to arrive before a step is declared complete.
const SETTLE_MS = 400;

/** A system webhook as the receiver should see it: its path on the receiver, id and secret. */
interface SystemHookUnderTest {
	path: string;
	id: string;
	secret: string;
}

describe('system webhooks on the reference host end to end (child process, real HTTP, misskey-js for admin/system-webhook/*)', function () {
	this.timeout(60_000);

	const schemas = createSchemaValidator();
	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let serverUrl: string;
	let admin: Account;
	let alice: Account;
	let bob: Account;
	let abuseHook: SystemHookUnderTest;
	let signupHook: SystemHookUnderTest;
	let seen = 0;

	const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });

	// misskey-js knows Misskey's five system event types only, not ours.
	async function createSystemHook(path: string, on: MisskeySystemWebhookEventType[], secret: string, isActive = true): Promise<SystemHookUnderTest> {
		const created = await client(admin).request('admin/system-webhook/create', { isActive, name: `system${path}`, url: receiver.url(path), secret, on });
		// misskey-js's SystemWebhook type and ours describe the same object, but for our pause keys and delivery options.
		const typed: Omit<SystemWebhook, typeof webhookPauseKeys[number] | WebhookOptionNameOf<'system'> | 'previousSecretExpiresAt'> = created;
		schemas.assert('SystemWebhook', typed);
		return { path, id: created.id, secret };
	}

	/** Waits for exactly the expected deliveries (path and type) of this step, checks each as a system delivery, and returns them in order. */
	async function expectDeliveries(expected: Array<{ hook: SystemHookUnderTest; type: SystemWebhookEventType }>): Promise<ReceivedRequest[]> {
		if (expected.length > 0) await receiver.waitForRequests(seen + expected.length, 10_000).catch(() => undefined);
		await receiver.settle(SETTLE_MS);
		const arrived = receiver.requests.slice(seen);
		seen = receiver.requests.length;
		assert.deepEqual(arrived.map((r) => `${r.path} ${r.json?.type}`).sort(), expected.map((e) => `${e.hook.path} ${e.type}`).sort());
		return expected.map(({ hook, type }) => {
			const request = arrived.find((r) => r.path === hook.path && r.json?.type === type)!;
			assert.equal(request.headers['x-misskey-hook-id'], hook.id);
			assert.equal(request.headers['x-misskey-hook-secret'], hook.secret);
			assert.equal(request.headers['x-misskey-host'], new URL(serverUrl).host);
			assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
			schemas.assert('SystemWebhookEnvelope', request.json);
			assert.ok(!('userId' in request.json), 'a system envelope has no userId');
			assert.equal(request.json.server, serverUrl);
			assert.equal(request.json.hookId, hook.id);
			schemas.assert(eventBodySchemaName(type), request.json.body);
			return request;
		});
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50,100]);
		serverUrl = host.listenUrl;
		origin = host.listenUrl;

		// The first account is the administrator; its signup happens before any system webhook exists.
		admin = await signUp(origin, 'admin');
		abuseHook = await createSystemHook('/abuse', ['abuseReport', 'abuseReportResolved'], 'abuse-secret-51e2');
		signupHook = await createSystemHook('/signups', ['userCreated'], '');
		await createSystemHook('/inactive', ['abuseReport', 'abuseReportResolved', 'userCreated'], 'inactive-secret', false);
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		await expectDeliveries([{ hook: signupHook, type: 'userCreated' }, { hook: signupHook, type: 'userCreated' }]);
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('a signup sends userCreated with the new user as UserLite, not wrapped, to the active subscribers only', async () => {
		const carol = await signUp(origin, 'carol');
		const [created] = await expectDeliveries([{ hook: signupHook, type: 'userCreated' }]);
		assert.equal(created.json.body.id, carol.id);
		assert.equal(created.json.body.username, 'carol');
		assert.equal(created.json.body.host, null);
		assert.ok(!('user' in created.json.body));
	});

	let reportId: string;

	it('users/report-abuse sends abuseReport with the report, the target and the reporter packed, no assignee yet', async () => {
		const reply = await callHost(origin, 'users/report-abuse', { userId: bob.id, comment: 'spam everywhere' }, alice.token);
		assert.equal(reply.status, 204);
		const [report] = await expectDeliveries([{ hook: abuseHook, type: 'abuseReport' }]);
		const body = report.json.body;
		reportId = body.id;
		assert.deepEqual(
			[body.targetUserId, body.targetUser.username, body.reporterId, body.reporter.username, body.assigneeId, body.assignee, body.resolved, body.comment, body.resolvedAs],
			[bob.id, 'bob', alice.id, 'alice', null, null, false, 'spam everywhere', null],
		);
	});

	it('admin/resolve-abuse-user-report is for moderators only', async () => {
		const reply = await callHost(origin, 'admin/resolve-abuse-user-report', { reportId, resolvedAs: 'accept' }, bob.token);
		assert.equal(reply.status, 403);
		assert.equal(reply.body.error.code, 'ROLE_PERMISSION_DENIED');
		await expectDeliveries([]);
	});

	it('resolving the report sends abuseReportResolved with the moderator as assignee and resolvedAs', async () => {
		const reply = await callHost(origin, 'admin/resolve-abuse-user-report', { reportId, resolvedAs: 'accept' }, admin.token);
		assert.equal(reply.status, 204);
		const [resolved] = await expectDeliveries([{ hook: abuseHook, type: 'abuseReportResolved' }]);
		const body = resolved.json.body;
		assert.deepEqual([body.id, body.resolved, body.assigneeId, body.assignee.username, body.resolvedAs], [reportId, true, admin.id, 'admin', 'accept']);
	});

	it('a user without a moderator role cannot read or change system webhooks', async () => {
		await assert.rejects(client(alice).request('admin/system-webhook/list', {}), (error: { code?: string }) => error.code === 'ROLE_PERMISSION_DENIED');
		const reply = await callHost(origin, 'admin/system-webhook/delete', { id: abuseHook.id }, alice.token);
		assert.equal(reply.status, 403);
		assert.equal(reply.body.error.code, 'ROLE_PERMISSION_DENIED');
	});

	it('a deactivated system webhook receives nothing more; the test endpoint still reaches it', async () => {
		const shown = await client(admin).request('admin/system-webhook/show', { id: signupHook.id });
		assert.equal(shown.latestStatus, 200, 'deliveries wrote their status');
		const updated = await client(admin).request('admin/system-webhook/update', { id: signupHook.id, isActive: false, name: shown.name, on: shown.on, url: shown.url });
		assert.equal(updated.isActive, false);
		await signUp(origin, 'dave');
		await expectDeliveries([]);
		await client(admin).request('admin/system-webhook/test', { webhookId: signupHook.id, type: 'userCreated' });
		const [test] = await expectDeliveries([{ hook: signupHook, type: 'userCreated' }]);
		assert.equal(test.json.body.id, 'dummy-user-1');
	});

	it("the host's moderation log has every system webhook write, secrets redacted", async () => {
		const logs = await expectOk(origin, 'admin/show-moderation-logs', { limit: 100 }, admin.token);
		const types = logs.map((entry: { type: string }) => entry.type);
		assert.equal(types.filter((type: string) => type === 'createSystemWebhook').length, 3);
		assert.equal(types.filter((type: string) => type === 'updateSystemWebhook').length, 1);
		const created = logs.find((entry: any) => entry.type === 'createSystemWebhook' && entry.info.systemWebhookId === abuseHook.id);
		assert.equal(created.userId, admin.id);
		assert.equal(created.info.webhook.hasSecret, true);
		assert.ok(!('secret' in created.info.webhook));
		const text = JSON.stringify(logs);
		assert.ok(!text.includes('abuse-secret-51e2') && !text.includes('inactive-secret'), 'no secret appears in the moderation log');
		const forbidden = await callHost(origin, 'admin/show-moderation-logs', {}, bob.token);
		assert.equal(forbidden.status, 403);
	});
});
