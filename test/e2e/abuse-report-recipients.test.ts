import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import type { MisskeySystemWebhookEventType } from '../../src/events/catalogue.js';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

// Long enough for a stray delivery to arrive before a step is declared complete.
const SETTLE_MS = 400;

describe('abuse-report notification recipients on the reference host (child process, real tables, misskey-js)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let admin: Account;
	let alice: Account;
	let bob: Account;
	let seen = 0;
	/** Subscribed to both abuse events and userCreated; an inactive recipient names it. */
	let silenced: string;
	/** Subscribed to both abuse events; no recipient names it. */
	let unnamed: string;
	/** Subscribed to both abuse events; an active recipient names it. */
	let named: string;
	let silencer: Misskey.entities.AbuseReportNotificationRecipient;

	const client = (account: Account) => new Misskey.api.APIClient({ origin, credential: account.token });

	async function systemHook(path: string, on: MisskeySystemWebhookEventType[]): Promise<string> {
		const created = await client(admin).request('admin/system-webhook/create', { isActive: true, name: `hook${path}`, url: receiver.url(path), secret: `${path}-secret`, on });
		return created.id;
	}

	/** Waits for exactly these deliveries (`path type`, in any order) since the last call. */
	async function expectDeliveries(expected: string[]): Promise<void> {
		if (expected.length > 0) await receiver.waitForRequests(seen + expected.length, 10_000).catch(() => undefined);
		await receiver.settle(SETTLE_MS);
		const arrived = receiver.requests.slice(seen);
		seen = receiver.requests.length;
		assert.deepEqual(arrived.map((request) => `${request.path} ${request.json?.type}`).sort(), [...expected].sort());
	}

	/** alice reports bob (the host raises abuseReport in its transaction). */
	async function report(): Promise<void> {
		await expectOk(origin, 'users/report-abuse', { userId: bob.id, comment: 'spam' }, alice.token);
	}

	/** The admin resolves the report the last abuseReport delivery carried. */
	async function resolveLastReport(): Promise<void> {
		const delivered = [...receiver.requests].reverse().find((request) => request.json?.type === 'abuseReport');
		assert.ok(delivered, 'an abuseReport delivery');
		await expectOk(origin, 'admin/resolve-abuse-user-report', { reportId: delivered.json.body.id, resolvedAs: 'accept' }, admin.token);
	}

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50, 100]);
		origin = host.listenUrl;
		admin = await signUp(origin, 'admin');
		silenced = await systemHook('/silenced', ['abuseReport', 'abuseReportResolved', 'userCreated']);
		unnamed = await systemHook('/unnamed', ['abuseReport', 'abuseReportResolved']);
		named = await systemHook('/named', ['abuseReport', 'abuseReportResolved']);
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		await expectDeliveries(['/silenced userCreated', '/silenced userCreated']);
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('admin/abuse-report/notification-recipient/create makes a webhook recipient and answers it as Misskey packs one', async () => {
		silencer = await client(admin).request('admin/abuse-report/notification-recipient/create', { isActive: false, name: 'switched off', method: 'webhook', systemWebhookId: silenced });
		assert.deepEqual({ ...silencer, updatedAt: undefined }, { id: silencer.id, isActive: false, updatedAt: undefined, name: 'switched off', method: 'webhook', systemWebhookId: silenced });
		assert.ok(!Number.isNaN(Date.parse(silencer.updatedAt)));
		await client(admin).request('admin/abuse-report/notification-recipient/create', { isActive: true, name: 'on duty', method: 'webhook', systemWebhookId: named });
		const listed = await client(admin).request('admin/abuse-report/notification-recipient/list', { method: ['webhook'] });
		assert.deepEqual(listed.map((recipient) => [recipient.systemWebhookId, recipient.isActive]), [[silenced, false], [named, true]]);
		assert.deepEqual(await client(admin).request('admin/abuse-report/notification-recipient/show', { id: silencer.id }), silencer);
	});

	it('the recipient endpoints refuse what Misskey refuses, and callers who are not moderators', async () => {
		const refusal = async (endpoint: string, params: Record<string, unknown>, token = admin.token) => {
			const reply = await callHost(origin, endpoint, params, token);
			return [reply.status, reply.body?.error?.code];
		};
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/create', { isActive: true, name: 'n', method: 'webhook' }), [400, 'CORRELATION_CHECK_WEBHOOK']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/create', { isActive: true, name: 'n', method: 'email' }), [400, 'CORRELATION_CHECK_EMAIL']);
		// No account of this host has an e-mail address.
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/create', { isActive: true, name: 'n', method: 'email', userId: admin.id }), [400, 'EMAIL_ADDRESS_NOT_SET']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/create', { isActive: true, name: 'n', method: 'webhook', systemWebhookId: 'aaaaaaaaaa' }), [404, 'NO_SUCH_SYSTEM_WEBHOOK']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/show', { id: 'aaaaaaaaaa' }), [404, 'NO_SUCH_RECIPIENT']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/update', { id: 'aaaaaaaaaa', isActive: true, name: 'n', method: 'webhook', systemWebhookId: named }), [404, 'NO_SUCH_RECIPIENT']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/list', {}, alice.token), [403, 'ROLE_PERMISSION_DENIED']);
		assert.deepEqual(await refusal('admin/abuse-report/notification-recipient/create', { isActive: false, name: 'n', method: 'webhook', systemWebhookId: unnamed }, alice.token), [403, 'ROLE_PERMISSION_DENIED']);
		const listed = await client(admin).request('admin/abuse-report/notification-recipient/list', {});
		assert.equal(listed.length, 2, 'nothing refused was stored');
	});

	it('abuseReport and abuseReportResolved skip the system webhook an inactive recipient names; an active recipient\'s and an unnamed one get them', async () => {
		await report();
		await expectDeliveries(['/unnamed abuseReport', '/named abuseReport']);
		await resolveLastReport();
		await expectDeliveries(['/unnamed abuseReportResolved', '/named abuseReportResolved']);
	});

	it('userCreated still reaches the webhook an inactive recipient names: recipients concern abuse reports only', async () => {
		await signUp(origin, 'carol');
		await expectDeliveries(['/silenced userCreated']);
	});

	it('switching the recipient on brings its webhook back, from the next report on', async () => {
		const updated = await client(admin).request('admin/abuse-report/notification-recipient/update', { id: silencer.id, isActive: true, name: silencer.name, method: 'webhook', systemWebhookId: silenced });
		assert.equal(updated.isActive, true);
		assert.ok(Date.parse(updated.updatedAt) >= Date.parse(silencer.updatedAt));
		await report();
		await expectDeliveries(['/silenced abuseReport', '/unnamed abuseReport', '/named abuseReport']);
	});

	it('every recipient write is in the moderation log; deleting a recipient, or its system webhook, takes it away', async () => {
		await client(admin).request('admin/abuse-report/notification-recipient/update', { id: silencer.id, isActive: false, name: silencer.name, method: 'webhook', systemWebhookId: silenced });
		const other = await client(admin).request('admin/abuse-report/notification-recipient/create', { isActive: false, name: 'unnamed off', method: 'webhook', systemWebhookId: unnamed });
		await client(admin).request('admin/abuse-report/notification-recipient/delete', { id: silencer.id });
		// Misskey's cascade: the system webhook's recipients go with it.
		await client(admin).request('admin/system-webhook/delete', { id: unnamed });
		assert.deepEqual((await client(admin).request('admin/abuse-report/notification-recipient/list', {})).map((recipient) => recipient.systemWebhookId), [named]);
		await report();
		await expectDeliveries(['/silenced abuseReport', '/named abuseReport']);

		const logs: Array<{ type: string; userId: string; info: { recipientId: string } }> = await expectOk(origin, 'admin/show-moderation-logs', { limit: 100 }, admin.token);
		const recipientLogs = logs.filter((entry) => entry.type.endsWith('AbuseReportNotificationRecipient')).reverse();
		assert.deepEqual(recipientLogs.map((entry) => [entry.type, entry.info.recipientId]), [
			['createAbuseReportNotificationRecipient', silencer.id],
			['createAbuseReportNotificationRecipient', recipientLogs[1].info.recipientId],
			['updateAbuseReportNotificationRecipient', silencer.id],
			['updateAbuseReportNotificationRecipient', silencer.id],
			['createAbuseReportNotificationRecipient', other.id],
			['deleteAbuseReportNotificationRecipient', silencer.id],
		]);
		assert.ok(recipientLogs.every((entry) => entry.userId === admin.id));
	});
});
