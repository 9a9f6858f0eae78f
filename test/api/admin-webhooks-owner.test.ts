import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { moderate, newModerator, pausedByModeratorErrorId } from './admin-webhooks-fixture.js';

describe('a webhook paused by a moderator, from its owner\'s side (i/webhooks/*)', () => {
	const schemas = createSchemaValidator();
	let api: ApiHarness;
	let moderator: { userId: string; token: string };

	before(async () => {
		api = await startApiHarness();
		moderator = newModerator(api);
	});

	after(async () => {
		await api.close();
	});

	/** An owner with one webhook a moderator paused for `reason`. */
	async function pausedHook(reason = 'sends to a host that asked us to stop') {
		const caller = newCaller(api);
		const hook = await createHook(api, caller.token, { ...validCreateParams, secret: 'mine' });
		await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason });
		return { ...caller, hook };
	}

	const show = async (token: string, webhookId: string) => (await api.call('i/webhooks/show', { webhookId }, { token })).body;

	describe('re-activation', () => {
		it('active: true gets WEBHOOK_PAUSED_BY_MODERATOR (400) with its own id, and the webhook stays paused', async () => {
			const { token, hook } = await pausedHook();
			const response = await api.call('i/webhooks/update', { webhookId: hook.id, active: true }, { token });
			assert.equal(response.status, 400);
			assert.deepEqual(response.body.error, {
				message: 'This webhook was paused by a moderator; only a moderator can re-activate it.',
				code: 'WEBHOOK_PAUSED_BY_MODERATOR',
				id: pausedByModeratorErrorId,
				kind: 'client',
			});
			const shown = await show(token, hook.id);
			assert.deepEqual([shown.active, shown.pausedBy], [false, 'moderator']);
			assert.deepEqual(api.registry.match(hook.userId, 'note'), []);
		});

		it('other changes in a refused call are not applied either', async () => {
			const { token, hook } = await pausedHook();
			const before = await show(token, hook.id);
			await api.call('i/webhooks/update', { webhookId: hook.id, active: true, name: 'sneaky', url: 'https://elsewhere.example/', secret: 'new', on: ['mention'] }, { token });
			assert.deepEqual(await show(token, hook.id), before);
		});

		it("a stranger re-activating someone's paused webhook gets NO_SUCH_WEBHOOK, not the pause error", async () => {
			const { hook } = await pausedHook();
			const response = await api.call('i/webhooks/update', { webhookId: hook.id, active: true }, { token: newCaller(api).token });
			assert.equal(response.body.error.code, 'NO_SUCH_WEBHOOK');
			assert.equal(response.body.error.id, 'fb0fea69-da18-45b1-828d-bd4fd1612518');
		});

		it('once a moderator resumes it, the owner can deactivate and re-activate it as before', async () => {
			const { token, hook } = await pausedHook();
			await moderate(api, moderator.token, { webhookId: hook.id, active: true });
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token })).status, 204);
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, active: true }, { token })).status, 204);
			assert.equal((await show(token, hook.id)).active, true);
		});

		it("the owner's own deactivation is no pause: active: true re-activates it", async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token });
			assert.equal((await show(token, hook.id)).pausedBy, null);
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, active: true }, { token })).status, 204);
			assert.equal((await show(token, hook.id)).active, true);
		});

		it('a pause by the module itself (auto) is cleared when the owner re-activates', async () => {
			const { token } = newCaller(api);
			const hook = await createHook(api, token);
			await api.store.repository.update({ id: hook.id }, { active: false, pausedBy: 'auto', pausedReason: 'failing for 5 days', pausedAt: new Date() });
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, active: true }, { token })).status, 204);
			const shown = await show(token, hook.id);
			assert.deepEqual([shown.active, shown.pausedBy, shown.pausedReason, shown.pausedAt], [true, null, null, null]);
		});
	});

	describe('other updates still work while paused', () => {
		it('name, url, secret and on change, and the webhook stays paused', async () => {
			const { token, hook } = await pausedHook();
			const changes = { name: 'renamed', url: 'https://fixed.example/hook', secret: 'rotated', on: ['mention'] };
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, ...changes }, { token })).status, 204);
			const shown = await show(token, hook.id);
			assert.deepEqual(
				{ name: shown.name, url: shown.url, secret: shown.secret, on: shown.on, active: shown.active, pausedBy: shown.pausedBy },
				{ ...changes, active: false, pausedBy: 'moderator' },
			);
		});

		it('active: false is accepted and keeps the pause', async () => {
			const { token, hook } = await pausedHook('reason kept');
			assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token })).status, 204);
			const shown = await show(token, hook.id);
			assert.deepEqual([shown.active, shown.pausedBy, shown.pausedReason], [false, 'moderator', 'reason kept']);
		});

		it('the owner can still delete it', async () => {
			const { token, hook } = await pausedHook();
			assert.equal((await api.call('i/webhooks/delete', { webhookId: hook.id }, { token })).status, 204);
		});
	});

	describe('what the owner sees', () => {
		it('show carries pausedBy, pausedReason and pausedAt, but not which moderator', async () => {
			const { token, hook } = await pausedHook('too many 500s to the receiver');
			const shown = await show(token, hook.id);
			schemas.assert('UserWebhook', shown);
			assert.equal(shown.pausedBy, 'moderator');
			assert.equal(shown.pausedReason, 'too many 500s to the receiver');
			assert.ok(Math.abs(Date.parse(shown.pausedAt) - Date.now()) < 60_000);
			assert.ok(!('pausedByUserId' in shown));
			assert.equal(shown.secret, 'mine', 'the owner still sees the secret');
		});

		it('list carries them too', async () => {
			const { token, hook } = await pausedHook('listed reason');
			const listed = (await api.call('i/webhooks/list', {}, { token })).body;
			for (const item of listed) schemas.assert('UserWebhook', item);
			assert.deepEqual(listed.map((item: any) => [item.id, item.pausedBy, item.pausedReason]), [[hook.id, 'moderator', 'listed reason']]);
		});

		it('a webhook that is not paused has all three null, in create, show and list', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token);
			const pauseFields = (hook: any) => [hook.pausedBy, hook.pausedReason, hook.pausedAt];
			assert.deepEqual(pauseFields(created), [null, null, null]);
			assert.deepEqual(pauseFields(await show(token, created.id)), [null, null, null]);
			assert.deepEqual(pauseFields((await api.call('i/webhooks/list', {}, { token })).body[0]), [null, null, null]);
		});
	});
});
