import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator, noSuchSystemWebhook, validSystemCreateParams } from './system-webhook-fixture.js';

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const invalidParam = { status: 400, code: 'INVALID_PARAM', id: '3d81ceae-475f-4600-b2a8-2bc116157532' };
const missingId = 'aaaaaaaaaaaaaaaa';

describe('admin/system-webhook/*', () => {
	let api: ApiHarness;
	let moderator: { userId: string; token: string };
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		moderator = newModerator(api);
	});
	after(async () => {
		await api.close();
	});

	const call = (name: string, params: Record<string, unknown>) => api.call(`admin/system-webhook/${name}`, params, { token: moderator.token });
	const logged = () => api.host.moderatorActions;

	describe('create', () => {
		it('answers the packed SystemWebhook, stores it, and the registry matches it at once', async () => {
			const before = Date.now();
			const response = await call('create', validSystemCreateParams);
			assert.equal(response.status, 200, response.rawBody);
			const webhook = response.body;
			schemas.assert('SystemWebhook', webhook);
			const { pausedBy, pausedReason, pausedAt, retryPolicy, sendSecretHeader, previousSecretExpiresAt, format, deliveryRate, deliveryBurst, template, templateContentType, filter, ...misskeyKeys } = webhook;
			assert.deepEqual(Object.keys(misskeyKeys), ['id', 'isActive', 'updatedAt', 'latestSentAt', 'latestStatus', 'name', 'on', 'url', 'secret']);
			assert.deepEqual({ ...misskeyKeys, id: undefined, updatedAt: undefined }, {
				...validSystemCreateParams, id: undefined, updatedAt: undefined, latestSentAt: null, latestStatus: null,
			});
			// Our pause keys and delivery options, after Misskey's keys: not paused, options at their defaults.
			assert.deepEqual(Object.keys(webhook).slice(Object.keys(misskeyKeys).length), ['pausedBy', 'pausedReason', 'pausedAt', 'retryPolicy', 'sendSecretHeader', 'previousSecretExpiresAt', 'format', 'deliveryRate', 'deliveryBurst', 'template', 'templateContentType', 'filter']);
			assert.deepEqual({ pausedBy, pausedReason, pausedAt }, { pausedBy: null, pausedReason: null, pausedAt: null });
			assert.deepEqual({ retryPolicy, sendSecretHeader, previousSecretExpiresAt, format, deliveryRate, deliveryBurst, template, templateContentType, filter }, { retryPolicy: 'standard', sendSecretHeader: true, previousSecretExpiresAt: null, format: 'misskey', deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json', filter: null });
			assert.match(webhook.updatedAt, isoDate);
			assert.ok(Date.parse(webhook.updatedAt) >= before - 5);
			const stored = await api.systemStore.findById(webhook.id);
			assert.equal(stored?.secret, validSystemCreateParams.secret);
			assert.ok(api.registry.matchSystem('userCreated').some((row) => row.id === webhook.id));
		});

		it('secret defaults to the empty string', async () => {
			const { secret: _secret, ...withoutSecret } = validSystemCreateParams;
			const response = await call('create', withoutSecret);
			assert.equal(response.status, 200);
			assert.equal(response.body.secret, '');
		});

		it('an inactive webhook is stored but not matched', async () => {
			const webhook = await createSystemHook(api, moderator.token, { isActive: false, on: ['inactiveModeratorsWarning'] });
			assert.equal(webhook.isActive, false);
			assert.ok(!api.registry.matchSystem('inactiveModeratorsWarning').some((row) => row.id === webhook.id));
		});

		it('a name of 255 characters is accepted, 256 is not', async () => {
			assert.equal((await call('create', { ...validSystemCreateParams, name: 'n'.repeat(255) })).status, 200);
			assert.deepEqual(errorOf(await call('create', { ...validSystemCreateParams, name: 'n'.repeat(256) })), invalidParam);
		});

		const invalid: Array<[string, Record<string, unknown>]> = [
			['without isActive', { ...validSystemCreateParams, isActive: undefined }],
			['without name', { ...validSystemCreateParams, name: undefined }],
			['with an empty name', { ...validSystemCreateParams, name: '' }],
			['without on', { ...validSystemCreateParams, on: undefined }],
			['with a user event type in on', { ...validSystemCreateParams, on: ['note'] }],
			['without url', { ...validSystemCreateParams, url: undefined }],
			['with a url over 1024 characters', { ...validSystemCreateParams, url: `https://r.example/${'a'.repeat(1024)}` }],
			['with a secret over 1024 characters', { ...validSystemCreateParams, secret: 's'.repeat(1025) }],
		];
		for (const [what, params] of invalid) {
			it(`${what} gets INVALID_PARAM and stores nothing`, async () => {
				const count = (await api.systemStore.list()).length;
				assert.deepEqual(errorOf(await call('create', params)), invalidParam);
				assert.equal((await api.systemStore.list()).length, count);
			});
		}

		it('a URL the user webhook endpoints refuse is refused here too (INVALID_WEBHOOK_URL)', async () => {
			const response = await call('create', { ...validSystemCreateParams, url: 'ftp://receiver.example/system' });
			assert.equal(response.body.error.code, 'INVALID_WEBHOOK_URL');
		});

		it('logs createSystemWebhook { systemWebhookId, webhook } with hasSecret instead of the secret', async () => {
			const from = logged().length;
			const webhook = await createSystemHook(api, moderator.token);
			const entries = logged().slice(from);
			assert.equal(entries.length, 1);
			const [entry] = entries;
			assert.equal(entry.moderatorId, moderator.userId);
			assert.equal(entry.type, 'createSystemWebhook');
			const { secret: _secret, ...withoutSecret } = webhook;
			assert.deepEqual(entry.info, { systemWebhookId: webhook.id, webhook: { ...withoutSecret, hasSecret: true } });
			assert.ok(!JSON.stringify(entry.info).includes(validSystemCreateParams.secret), 'the secret appears nowhere in the log');
		});
	});

	describe('update', () => {
		it('replaces isActive, name, on and url, bumps updatedAt and answers the fresh packed row', async () => {
			const created = await createSystemHook(api, moderator.token);
			await new Promise((resolve) => setTimeout(resolve, 5));
			const response = await call('update', { id: created.id, isActive: false, name: 'renamed', on: ['abuseReportResolved'], url: 'https://other.example/' });
			assert.equal(response.status, 200, response.rawBody);
			schemas.assert('SystemWebhook', response.body);
			assert.deepEqual({ ...response.body, updatedAt: undefined }, {
				...created, isActive: false, name: 'renamed', on: ['abuseReportResolved'], url: 'https://other.example/', updatedAt: undefined,
			});
			assert.ok(Date.parse(response.body.updatedAt) > Date.parse(created.updatedAt));
			assert.deepEqual((await call('show', { id: created.id })).body, response.body);
		});

		it('announces the change: deactivating removes it from the registry, reactivating with new types adds it back', async () => {
			const created = await createSystemHook(api, moderator.token, { on: ['abuseReport'] });
			const base = { id: created.id, name: created.name, url: created.url };
			await call('update', { ...base, isActive: false, on: ['abuseReport'] });
			assert.ok(!api.registry.matchSystem('abuseReport').some((row) => row.id === created.id));
			await call('update', { ...base, isActive: true, on: ['inactiveModeratorsWarning'] });
			assert.ok(api.registry.matchSystem('inactiveModeratorsWarning').some((row) => row.id === created.id));
			assert.ok(!api.registry.matchSystem('abuseReport').some((row) => row.id === created.id));
		});

		it('an update that omits secret keeps the stored secret (Misskey wipes it: a defect we do not copy)', async () => {
			const created = await createSystemHook(api, moderator.token);
			const response = await call('update', { id: created.id, isActive: true, name: 'no secret given', on: created.on, url: created.url });
			assert.equal(response.status, 200);
			assert.equal(response.body.secret, validSystemCreateParams.secret);
			assert.equal((await api.systemStore.findById(created.id))?.secret, validSystemCreateParams.secret);
			const registered = api.registry.matchSystem('abuseReport').find((row) => row.id === created.id);
			assert.equal(registered?.secret, validSystemCreateParams.secret, 'the registry keeps the secret too');
		});

		it('an explicit secret replaces it, and an empty one clears it', async () => {
			const created = await createSystemHook(api, moderator.token);
			const base = { id: created.id, isActive: true, name: created.name, on: created.on, url: created.url };
			assert.equal((await call('update', { ...base, secret: 'rotated' })).body.secret, 'rotated');
			assert.equal((await call('update', { ...base, secret: '' })).body.secret, '');
		});

		it('an unknown id gets NO_SUCH_SYSTEM_WEBHOOK (404), not a 500 (a Misskey defect we do not copy), and logs nothing', async () => {
			const from = logged().length;
			const response = await call('update', { ...validSystemCreateParams, id: missingId });
			assert.deepEqual(errorOf(response), noSuchSystemWebhook);
			assert.equal(response.body.error.kind, 'server');
			assert.equal(response.body.error.message, 'No such SystemWebhook.');
			assert.equal(logged().length, from);
		});

		it('is a full replacement: omitting name, on, url or isActive gets INVALID_PARAM', async () => {
			const created = await createSystemHook(api, moderator.token);
			const full = { id: created.id, isActive: true, name: 'x', on: ['userCreated'], url: 'https://r.example/' };
			for (const key of ['isActive', 'name', 'on', 'url', 'id'] as const) {
				assert.deepEqual(errorOf(await call('update', { ...full, [key]: undefined })), invalidParam, key);
			}
			assert.deepEqual(errorOf(await call('update', { ...full, id: 'not an id!' })), invalidParam);
		});

		it('logs updateSystemWebhook { systemWebhookId, before, after }, both without the old or the new secret', async () => {
			const created = await createSystemHook(api, moderator.token);
			const from = logged().length;
			const response = await call('update', { id: created.id, isActive: false, name: 'after', on: created.on, url: created.url, secret: 'new-secret-b81d' });
			const [entry] = logged().slice(from);
			assert.equal(entry.type, 'updateSystemWebhook');
			assert.equal(entry.moderatorId, moderator.userId);
			const { secret: _old, ...before } = created;
			const { secret: _new, ...after } = response.body;
			assert.deepEqual(entry.info, { systemWebhookId: created.id, before: { ...before, hasSecret: true }, after: { ...after, hasSecret: true } });
			const text = JSON.stringify(entry.info);
			assert.ok(!text.includes(validSystemCreateParams.secret) && !text.includes('new-secret-b81d'), 'no secret appears in the log');
		});
	});

	describe('delete', () => {
		it('replies 204, removes the row, and the registry forgets it', async () => {
			const created = await createSystemHook(api, moderator.token);
			const response = await call('delete', { id: created.id });
			assert.equal(response.status, 204);
			assert.equal(response.rawBody, '');
			assert.equal(await api.systemStore.findById(created.id), null);
			assert.ok(!api.registry.matchSystem('abuseReport').some((row) => row.id === created.id));
		});

		it('an unknown id gets NO_SUCH_SYSTEM_WEBHOOK (404), not a 500 (a Misskey defect we do not copy)', async () => {
			assert.deepEqual(errorOf(await call('delete', { id: missingId })), noSuchSystemWebhook);
		});

		it('without an id gets INVALID_PARAM', async () => {
			assert.deepEqual(errorOf(await call('delete', {})), invalidParam);
		});

		it('logs deleteSystemWebhook { systemWebhookId, webhook } as it was, secret redacted', async () => {
			const created = await createSystemHook(api, moderator.token, { secret: '' });
			const from = logged().length;
			await call('delete', { id: created.id });
			const [entry] = logged().slice(from);
			assert.equal(entry.type, 'deleteSystemWebhook');
			const { secret: _secret, ...withoutSecret } = created;
			assert.deepEqual(entry.info, { systemWebhookId: created.id, webhook: { ...withoutSecret, hasSecret: false } });
		});
	});

	describe('show', () => {
		it('answers the packed SystemWebhook with its secret', async () => {
			const created = await createSystemHook(api, moderator.token);
			const response = await call('show', { id: created.id });
			assert.equal(response.status, 200);
			schemas.assert('SystemWebhook', response.body);
			assert.deepEqual(response.body, created);
		});

		it('an unknown id gets NO_SUCH_SYSTEM_WEBHOOK (404, kind server)', async () => {
			const response = await call('show', { id: missingId });
			assert.deepEqual(errorOf(response), noSuchSystemWebhook);
			assert.equal(response.body.error.kind, 'server');
		});

		it('an id that is no misskey:id gets INVALID_PARAM', async () => {
			assert.deepEqual(errorOf(await call('show', { id: 'no-such id' })), invalidParam);
		});

		it('shows the status the last delivery wrote', async () => {
			const created = await createSystemHook(api, moderator.token);
			const sentAt = new Date('2025-09-08T10:00:00.123Z');
			await api.systemStore.repository.update({ id: created.id }, { latestSentAt: sentAt, latestStatus: 503 });
			const response = await call('show', { id: created.id });
			assert.equal(response.body.latestSentAt, sentAt.toISOString());
			assert.equal(response.body.latestStatus, 503);
		});
	});

	describe('list', () => {
		let all: any[];

		before(async () => {
			await api.dataSource.query('DELETE FROM "system_webhook"');
			all = [];
			for (const [isActive, on] of [[true, ['abuseReport']], [false, ['abuseReport', 'userCreated']], [true, ['userCreated', 'abuseReport', 'abuseReportResolved']], [true, []]] as const) {
				all.push(await createSystemHook(api, moderator.token, { isActive, on: [...on] }));
			}
		});

		const idsOf = (response: { body: any[] }) => response.body.map((webhook) => webhook.id);

		it('answers every system webhook, secrets included, sorted by id', async () => {
			const response = await call('list', {});
			assert.equal(response.status, 200);
			for (const webhook of response.body) schemas.assert('SystemWebhook', webhook);
			assert.deepEqual(idsOf(response), all.map((webhook) => webhook.id).sort((a, b) => a.localeCompare(b)));
			assert.ok(response.body.every((webhook: any) => webhook.secret === validSystemCreateParams.secret));
		});

		it('isActive filters on the flag', async () => {
			assert.deepEqual(idsOf(await call('list', { isActive: false })), [all[1].id]);
			assert.deepEqual(idsOf(await call('list', { isActive: true })), [all[0].id, all[2].id, all[3].id]);
		});

		it('on keeps the webhooks subscribed to every given type', async () => {
			assert.deepEqual(idsOf(await call('list', { on: ['abuseReport', 'userCreated'] })), [all[1].id, all[2].id]);
			assert.deepEqual(idsOf(await call('list', { on: ['abuseReportResolved'] })), [all[2].id]);
			assert.deepEqual(idsOf(await call('list', { on: ['abuseReport'], isActive: true })), [all[0].id, all[2].id]);
		});

		it('an unknown type in on, or a non-boolean isActive, gets INVALID_PARAM', async () => {
			assert.deepEqual(errorOf(await call('list', { on: ['note'] })), invalidParam);
			assert.deepEqual(errorOf(await call('list', { isActive: 'yes' })), invalidParam);
		});
	});
});
