import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';
import { PAYLOAD_FORMATS } from '../../src/core/payload-format.js';
import { decodeInternalMessage, encodeWebhookChange } from '../../src/registry/internal-event.js';

const invalidParam = { status: 400, code: 'INVALID_PARAM', id: '3d81ceae-475f-4600-b2a8-2bc116157532' };

describe('the body format of a webhook in the API (misskey and each destination)', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
	});
	after(async () => {
		await api?.close();
		await receiver?.close();
	});

	describe('user webhooks (i/webhooks/*)', () => {
		it('create without a format: misskey', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token);
			schemas.assert('UserWebhook', created);
			assert.equal(created.format, 'misskey');
		});

		it('create with discord: stored, and shown by create, show and list; the registry matches it with it at once', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, on: ['note'], format: 'discord' });
			assert.equal(created.format, 'discord');
			assert.equal((await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body.format, 'discord');
			const [listed] = (await api.call('i/webhooks/list', {}, { token })).body;
			schemas.assert('UserWebhook', listed);
			assert.equal(listed.format, 'discord');
			assert.equal((await api.store.findOwned(created.id, userId))?.format, 'discord');
			assert.equal(api.registry.match(userId, 'note').find((row) => row.id === created.id)?.format, 'discord');
		});

		it('update changes the format alone, and leaves it when not given', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, on: ['note'] });
			assert.equal((await api.call('i/webhooks/update', { webhookId: created.id, format: 'slack' }, { token })).status, 204);
			assert.equal((await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body.format, 'slack');
			assert.equal(api.registry.match(userId, 'note')[0]?.format, 'slack');
			await api.call('i/webhooks/update', { webhookId: created.id, name: 'renamed' }, { token });
			assert.equal((await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body.format, 'slack');
		});

		it('every format is taken by create and update, shown by show, and matched by the registry with it', async () => {
			const { userId, token } = newCaller(api);
			// A URL every format can deliver to: Telegram's chat in the query, ntfy's topic as the last path segment.
			const url = 'https://receiver.example/hook?chat_id=42';
			const created = await createHook(api, token, { ...validCreateParams, url, on: ['note'] });
			for (const format of PAYLOAD_FORMATS) {
				const made = await createHook(api, newCaller(api).token, { ...validCreateParams, url, format });
				assert.equal(made.format, format);
				assert.equal((await api.call('i/webhooks/update', { webhookId: created.id, format }, { token })).status, 204);
				const shown = (await api.call('i/webhooks/show', { webhookId: created.id }, { token })).body;
				schemas.assert('UserWebhook', shown);
				assert.equal(shown.format, format);
				assert.equal(api.registry.match(userId, 'note').find((row) => row.id === created.id)?.format, format);
			}
		});

		for (const format of ['mattermost', '', 'DISCORD', 1, null]) {
			it(`format ${JSON.stringify(format)} gets INVALID_PARAM on create and update`, async () => {
				const { token } = newCaller(api);
				assert.deepEqual(errorOf(await api.call('i/webhooks/create', { ...validCreateParams, format }, { token })), invalidParam);
				const created = await createHook(api, token);
				assert.deepEqual(errorOf(await api.call('i/webhooks/update', { webhookId: created.id, format }, { token })), invalidParam);
			});
		}

		it('admin/webhooks/list shows moderators the format', async () => {
			const { token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, format: 'slack' });
			const moderator = newModerator(api);
			const listed = (await api.call('admin/webhooks/list', { userId: created.userId }, { token: moderator.token })).body;
			schemas.assert('ModeratorUserWebhook', listed[0]);
			assert.equal(listed[0].format, 'slack');
		});
	});

	describe('system webhooks (admin/system-webhook/*)', () => {
		it('create with a format: stored, shown by create, show and list, and matched with it', async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token, { format: 'discord' });
			schemas.assert('SystemWebhook', created);
			assert.equal(created.format, 'discord');
			assert.equal((await api.call('admin/system-webhook/show', { id: created.id }, { token })).body.format, 'discord');
			const listed = (await api.call('admin/system-webhook/list', {}, { token })).body.find((row: any) => row.id === created.id);
			assert.equal(listed.format, 'discord');
			assert.equal(api.registry.matchSystem('userCreated').find((row) => row.id === created.id)?.format, 'discord');
		});

		it("create without one: misskey; Misskey's full-object update without a format keeps it, with one changes it", async () => {
			const { token } = newModerator(api);
			const created = await createSystemHook(api, token);
			assert.equal(created.format, 'misskey');
			const full = { id: created.id, isActive: true, name: created.name, on: created.on, url: created.url };
			assert.equal((await api.call('admin/system-webhook/update', { ...full, format: 'slack' }, { token })).body.format, 'slack');
			assert.equal((await api.call('admin/system-webhook/update', { ...full, name: 'renamed' }, { token })).body.format, 'slack');
		});

		it('an unknown format gets INVALID_PARAM', async () => {
			const { token } = newModerator(api);
			assert.deepEqual(errorOf(await api.call('admin/system-webhook/create', { ...validSystemCreateParams, format: 'mattermost' }, { token })), invalidParam);
		});
	});

	describe('the registry event carries the format between processes', () => {
		it('a row with a format round-trips; a message without one (a Misskey server\'s) is misskey, an unknown one too', async () => {
			const { userId, token } = newCaller(api);
			const created = await createHook(api, token, { ...validCreateParams, format: 'discord' });
			const row = (await api.store.findOwned(created.id, userId))!;
			const decoded = decodeInternalMessage(encodeWebhookChange({ name: 'webhookUpdated', row }));
			assert.equal(decoded.kind === 'webhook-change' && decoded.event.row.format, 'discord');
			for (const format of [undefined, 'mattermost']) {
				const message = JSON.stringify({ channel: 'internal', message: { type: 'webhookUpdated', body: { ...JSON.parse(JSON.stringify(row)), format } } });
				const revived = decodeInternalMessage(message);
				assert.equal(revived.kind === 'webhook-change' && revived.event.row.format, 'misskey', String(format));
			}
		});
	});
});
