import assert from 'node:assert/strict';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { PackingHost } from '../support/packing-host.js';
import { plannedEvents, type PlannedEvents } from '../support/planned-events.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { accessDeniedId, moderate, moderatorUpdateNoSuchWebhookId, newModerator, rolePermissionDeniedId } from './admin-webhooks-fixture.js';

const missingId = 'aaaaaaaaaaaaaaaa';

describe('admin/webhooks/update', () => {
	let api: ApiHarness;
	let moderator: { userId: string; token: string };

	before(async () => {
		api = await startApiHarness();
		moderator = newModerator(api);
	});

	after(async () => {
		await api.close();
	});

	/** A user's webhook made through the API, so the registry knows it. */
	async function ownersHook(params: Record<string, unknown> = validCreateParams) {
		const caller = newCaller(api);
		return { ...caller, hook: await createHook(api, caller.token, params) };
	}

	describe('pausing and resuming', () => {
		it('active: false pauses it as a moderator (inactive, pausedBy, reason, time, moderator) and replies 204 with no body', async () => {
			const { hook } = await ownersHook();
			const before = Date.now();
			const response = await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'spams a third party' });
			assert.equal(response.rawBody, '');
			const row = await api.store.findById(hook.id);
			assert.deepEqual(
				{ active: row?.active, pausedBy: row?.pausedBy, pausedReason: row?.pausedReason, pausedByUserId: row?.pausedByUserId },
				{ active: false, pausedBy: 'moderator', pausedReason: 'spams a third party', pausedByUserId: moderator.userId },
			);
			assert.ok(row?.pausedAt instanceof Date);
			assert.ok(row.pausedAt.getTime() >= before - 1000 && row.pausedAt.getTime() <= Date.now() + 1000);
		});

		it('a pause without a reason stores none', async () => {
			const { hook } = await ownersHook();
			await moderate(api, moderator.token, { webhookId: hook.id, active: false });
			assert.equal((await api.store.findById(hook.id))?.pausedReason, null);
		});

		it('active: true clears the pause and re-activates it', async () => {
			const { hook } = await ownersHook();
			await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'r' });
			await moderate(api, moderator.token, { webhookId: hook.id, active: true });
			const row = await api.store.findById(hook.id);
			assert.deepEqual(
				{ active: row?.active, pausedBy: row?.pausedBy, pausedReason: row?.pausedReason, pausedAt: row?.pausedAt, pausedByUserId: row?.pausedByUserId },
				{ active: true, pausedBy: null, pausedReason: null, pausedAt: null, pausedByUserId: null },
			);
		});

		it('touches nothing else: name, url, secret, on and status stay', async () => {
			const { hook } = await ownersHook({ ...validCreateParams, secret: 'kept' });
			await moderate(api, moderator.token, { webhookId: hook.id, active: false });
			const row = await api.store.findById(hook.id);
			assert.deepEqual(
				{ name: row?.name, url: row?.url, secret: row?.secret, on: row?.on, latestStatus: row?.latestStatus },
				{ name: hook.name, url: hook.url, secret: 'kept', on: hook.on, latestStatus: null },
			);
		});

		it('an unknown id gets NO_SUCH_WEBHOOK with an id of its own', async () => {
			const response = await api.call('admin/webhooks/update', { webhookId: missingId, active: false }, { token: moderator.token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, { message: 'No such webhook.', code: 'NO_SUCH_WEBHOOK', id: moderatorUpdateNoSuchWebhookId, kind: 'client' });
		});
	});

	describe('the registries and deliveries', () => {
		let observer: WebhookRegistry;
		let receiver: TestReceiver;
		let packingHost: PackingHost;
		let events: PlannedEvents;

		before(async () => {
			// Another process's registry, started before the writes, so what it learns can only come from announcements.
			observer = await WebhookRegistry.start({ store: api.store, redisUrl: api.options.redisUrl, channel: api.options.serverHost });
			receiver = await new TestReceiver().start();
			packingHost = new PackingHost();
			events = plannedEvents({ registry: api.registry, host: packingHost, user: api.delivery, failures: [] });
		});

		after(async () => {
			await observer.close();
			await receiver.close();
		});

		it('a paused webhook no longer matches here or in another process; resumed, it matches in both again', async () => {
			const { userId, hook } = await ownersHook({ ...validCreateParams, on: ['note'] });
			const matched = (registry: WebhookRegistry) => registry.match(userId, 'note').map((row) => row.id);
			await eventually(() => matched(observer), (found) => found.includes(hook.id));

			await moderate(api, moderator.token, { webhookId: hook.id, active: false });
			assert.deepEqual(matched(api.registry), []);
			await eventually(() => matched(observer), (found) => found.length === 0);

			await moderate(api, moderator.token, { webhookId: hook.id, active: true });
			assert.deepEqual(matched(api.registry), [hook.id]);
			await eventually(() => matched(observer), (found) => found.includes(hook.id));
		});

		it('an event for a paused webhook reaches no receiver; once resumed it does', async () => {
			const { userId, hook } = await ownersHook({ ...validCreateParams, url: receiver.url('/paused'), on: ['note'] });
			packingHost.addUser(userId);
			await moderate(api, moderator.token, { webhookId: hook.id, active: false });

			packingHost.addNote({ id: `${userId}n1`, userId, text: 'while paused' });
			await events.noteCreated({ note: { id: `${userId}n1`, userId } });
			assert.deepEqual(await receiver.settle(300), []);

			await moderate(api, moderator.token, { webhookId: hook.id, active: true });
			packingHost.addNote({ id: `${userId}n2`, userId, text: 'resumed' });
			await events.noteCreated({ note: { id: `${userId}n2`, userId } });
			const [delivery] = await receiver.waitForRequests(1);
			assert.equal(delivery?.json.hookId, hook.id);
			assert.equal(delivery?.json.body.note.id, `${userId}n2`);
		});
	});

	describe('the moderation log', () => {
		it('gets updateUserWebhook with the webhook, its owner, before, after and the reason; the secret redacted', async () => {
			const secret = 'owner-secret-never-logged-51c2';
			const { userId, hook } = await ownersHook({ ...validCreateParams, secret });
			const logged = api.host.moderatorActions.length;
			await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'abuse' });
			const [action, ...more] = api.host.moderatorActions.slice(logged);
			assert.deepEqual(more, []);
			assert.equal(action?.moderatorId, moderator.userId);
			assert.equal(action?.type, 'updateUserWebhook');
			const { webhookId, userId: loggedOwner, before, after, reason } = action!.info as any;
			assert.deepEqual({ webhookId, loggedOwner, reason }, { webhookId: hook.id, loggedOwner: userId, reason: 'abuse' });
			assert.deepEqual(
				[before.active, before.pausedBy, after.active, after.pausedBy, after.pausedReason, after.pausedByUserId],
				[true, null, false, 'moderator', 'abuse', moderator.userId],
			);
			assert.deepEqual([before.hasSecret, after.hasSecret], [true, true]);
			assert.ok(!('secret' in before) && !('secret' in after));
			assert.ok(!JSON.stringify(action).includes(secret), 'the secret appears nowhere in the logged action');
		});

		it('the logged before and after show the URL redacted to its scheme and host, never its credential path', async () => {
			const token = 'T000/B000/XXXXslackSecretXXXX';
			const { hook } = await ownersHook({ ...validCreateParams, url: `https://hooks.slack.com/services/${token}` });
			const logged = api.host.moderatorActions.length;
			await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'abuse' });
			const [action] = api.host.moderatorActions.slice(logged);
			const { before, after } = action!.info as any;
			assert.deepEqual([before.url, after.url], ['https://hooks.slack.com/(redacted)', 'https://hooks.slack.com/(redacted)']);
			assert.ok(!JSON.stringify(action).includes('XXXXslackSecretXXXX'));
		});

		it('a resume is logged too, with a null reason when none is given', async () => {
			const { hook } = await ownersHook();
			await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'r' });
			const logged = api.host.moderatorActions.length;
			await moderate(api, moderator.token, { webhookId: hook.id, active: true });
			const [action] = api.host.moderatorActions.slice(logged);
			const info = action?.info as any;
			assert.deepEqual([info.before.pausedBy, info.after.pausedBy, info.after.active, info.reason], ['moderator', null, true, null]);
		});

		it('a refused call logs nothing', async () => {
			const { hook } = await ownersHook();
			const logged = api.host.moderatorActions.length;
			await api.call('admin/webhooks/update', { webhookId: missingId, active: false }, { token: moderator.token });
			await api.call('admin/webhooks/update', { webhookId: hook.id, active: false }, { token: newCaller(api).token });
			assert.equal(api.host.moderatorActions.length, logged);
		});

		it('a host without a moderation log still gets the pause applied', async () => {
			const { hook } = await ownersHook();
			const original = api.host.logModeratorAction;
			Object.assign(api.host, { logModeratorAction: undefined });
			try {
				await moderate(api, moderator.token, { webhookId: hook.id, active: false });
			} finally {
				Object.assign(api.host, { logModeratorAction: original });
			}
			assert.equal((await api.store.findById(hook.id))?.pausedBy, 'moderator');
		});
	});

	describe('access', () => {
		it('a user who is no moderator gets ROLE_PERMISSION_DENIED (403) and changes nothing', async () => {
			const { token, hook } = await ownersHook();
			const response = await api.call('admin/webhooks/update', { webhookId: hook.id, active: false }, { token });
			assert.equal(response.status, 403);
			assert.equal(response.body.error.id, rolePermissionDeniedId);
			assert.equal((await api.store.findById(hook.id))?.active, true);
		});

		it("an app token gets ACCESS_DENIED, even a moderator's holding the endpoint's kind", async () => {
			const { hook } = await ownersHook();
			const user = api.host.addUser({ isModerator: true });
			const appToken = api.host.issueToken(user, { native: false, permissions: ['write:admin:webhooks'] });
			const response = await api.call('admin/webhooks/update', { webhookId: hook.id, active: false }, { token: appToken });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.id, accessDeniedId);
			assert.equal((await api.store.findById(hook.id))?.active, true);
		});
	});

	const violations: Array<[string, Record<string, unknown>, string]> = [
		['a missing webhookId', { active: false }, '#/required'],
		['a missing active', { webhookId: missingId }, '#/required'],
		['a string active', { webhookId: missingId, active: 'no' }, '#/properties/active/type'],
		['a webhookId that is no Misskey id', { webhookId: 'a-b', active: false }, '#/properties/webhookId/format'],
		['a 513-character reason', { webhookId: missingId, active: false, reason: 'r'.repeat(513) }, '#/properties/reason/maxLength'],
		['a null reason', { webhookId: missingId, active: false, reason: null }, '#/properties/reason/type'],
	];
	for (const [what, params, param] of violations) {
		it(`${what} gets INVALID_PARAM naming ${param}`, async () => {
			const response = await api.call('admin/webhooks/update', params, { token: moderator.token });
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, param);
		});
	}

	it('a 512-character reason is kept whole', async () => {
		const { hook } = await ownersHook();
		await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'r'.repeat(512) });
		assert.equal((await api.store.findById(hook.id))?.pausedReason, 'r'.repeat(512));
	});
});
