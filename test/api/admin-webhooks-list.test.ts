import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';
import { accessDeniedId, moderate, newModerator, rolePermissionDeniedId, storeHook } from './admin-webhooks-fixture.js';

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
const newestFirst = (values: string[]) => [...values].sort().reverse();

describe('admin/webhooks/list', () => {
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

	const list = (params: Record<string, unknown> = {}, token = moderator.token) => api.call('admin/webhooks/list', params, { token });
	const owner = () => api.host.addUser().id;

	it("lists every user's webhooks newest first, each valid against ModeratorUserWebhook", async () => {
		const [alice, bob] = [owner(), owner()];
		const made = [await storeHook(api, alice), await storeHook(api, bob), await storeHook(api, alice)];
		const response = await list({ limit: 100 });
		assert.equal(response.status, 200);
		const everyId: Array<{ id: string }> = await api.store.repository.find({ select: { id: true } });
		assert.deepEqual(ids(response.body), newestFirst(ids(everyId)));
		for (const id of ids(made)) assert.ok(ids(response.body).includes(id), id);
		for (const item of response.body) schemas.assert('ModeratorUserWebhook', item);
	});

	it('gives each webhook its owner as the host packs it, packing each owner once per call', async () => {
		const [alice, bob] = [owner(), owner()];
		for (const userId of [alice, alice, bob, alice]) await storeHook(api, userId);
		api.host.packedUserLiteIds.length = 0;
		const response = await list({ limit: 100 });
		const owners = [...new Set(response.body.map((item: any) => item.userId))].sort();
		assert.deepEqual([...api.host.packedUserLiteIds].sort(), owners, 'one packUserLite per distinct owner');
		for (const item of response.body) {
			assert.deepEqual(item.user, await api.host.packUserLite(item.userId));
		}
	});

	it('never shows a secret: not as a key, not anywhere in the reply; hasSecret says whether one is set', async () => {
		const userId = owner();
		const secret = 'moderators-must-never-see-this-7f3a';
		const withSecret = await storeHook(api, userId, { secret });
		const without = await storeHook(api, userId, { secret: '' });
		const response = await list({ userId });
		assert.ok(!response.rawBody.includes(secret));
		for (const item of response.body) assert.ok(!('secret' in item));
		const byId = new Map(response.body.map((item: any) => [item.id, item]));
		assert.equal((byId.get(withSecret.id) as any).hasSecret, true);
		assert.equal((byId.get(without.id) as any).hasSecret, false);
	});

	it('carries the status: active, latestSentAt, latestStatus, who paused it, why and when, and the body format', async () => {
		const { userId, token } = newCaller(api);
		const hook = await createHook(api, token);
		await api.store.repository.update({ id: hook.id }, { latestSentAt: new Date('2025-09-08T01:02:03.004Z'), latestStatus: 503 });
		await moderate(api, moderator.token, { webhookId: hook.id, active: false, reason: 'floods a third party' });
		const [item] = (await list({ userId })).body;
		assert.deepEqual({ ...item, pausedAt: typeof item.pausedAt }, {
			id: hook.id, userId, user: await api.host.packUserLite(userId), name: validCreateParams.name, on: validCreateParams.on,
			url: 'https://receiver.example/(redacted)', hasSecret: false, active: false, latestSentAt: '2025-09-08T01:02:03.004Z', latestStatus: 503,
			pausedBy: 'moderator', pausedReason: 'floods a third party', pausedAt: 'string', pausedByUserId: moderator.userId,
			format: 'misskey',
		});
		assert.ok(Math.abs(Date.parse(item.pausedAt) - Date.now()) < 60_000);
	});

	it('shows each URL redacted to its scheme and host, never its path or query, which may be its credential', async () => {
		const userId = owner();
		const token = 'aBcD-token_xyz';
		const hook = await storeHook(api, userId);
		await api.store.repository.update({ id: hook.id }, { url: `https://discord.com/api/webhooks/1234/${token}?wait=true` });
		const response = await list({ userId });
		assert.equal(response.body[0].url, 'https://discord.com/(redacted)');
		assert.equal(response.rawBody.includes(token), false);
		assert.equal(response.rawBody.includes('/api/webhooks'), false);
	});

	it('userId keeps only that owner\'s webhooks; an owner without any gives []', async () => {
		const [alice, bob] = [owner(), owner()];
		const mine = [await storeHook(api, alice), await storeHook(api, alice)];
		await storeHook(api, bob);
		assert.deepEqual(ids((await list({ userId: alice })).body), newestFirst(ids(mine)));
		assert.deepEqual((await list({ userId: owner() })).body, []);
	});

	it('active keeps active or inactive webhooks only', async () => {
		const userId = owner();
		const on = await storeHook(api, userId, { active: true });
		const off = await storeHook(api, userId, { active: false });
		assert.deepEqual(ids((await list({ userId, active: true })).body), [on.id]);
		assert.deepEqual(ids((await list({ userId, active: false })).body), [off.id]);
	});

	describe('failing, by Misskey\'s status logic (200, 201 and 204 are ok; never sent is not failing)', () => {
		const statuses = [null, 200, 201, 204, 202, 500, 1, 410] as const;
		let userId: string;
		const idOf = new Map<number | null, string>();

		before(async () => {
			userId = owner();
			for (const latestStatus of statuses) idOf.set(latestStatus, (await storeHook(api, userId, { latestStatus })).id);
		});

		const expectedIds = (picked: ReadonlyArray<number | null>) => newestFirst(picked.map((status) => idOf.get(status)!));

		it('failing: true keeps 202, 500, 1 (no answer) and 410', async () => {
			assert.deepEqual(ids((await list({ userId, failing: true })).body), expectedIds([202, 500, 1, 410]));
		});

		it('failing: false keeps never sent, 200, 201 and 204', async () => {
			assert.deepEqual(ids((await list({ userId, failing: false })).body), expectedIds([null, 200, 201, 204]));
		});

		it('combines with active', async () => {
			await api.store.repository.update({ id: idOf.get(500)! }, { active: false });
			assert.deepEqual(ids((await list({ userId, failing: true, active: true })).body), expectedIds([202, 1, 410]));
		});
	});

	describe('pagination (Misskey semantics: sinceId → greater ids, untilId → smaller ids)', () => {
		let userId: string;
		let all: string[];

		before(async () => {
			userId = owner();
			all = [];
			for (let i = 0; i < 12; i++) all.push((await storeHook(api, userId)).id);
			all = newestFirst(all);
		});

		it('limit defaults to 10, the newest', async () => {
			assert.deepEqual(ids((await list({ userId })).body), all.slice(0, 10));
		});

		it('untilId gives the next older ones, newest first', async () => {
			assert.deepEqual(ids((await list({ userId, untilId: all[2], limit: 3 })).body), all.slice(3, 6));
		});

		it('sinceId gives the ones just above it (not the newest), newest first', async () => {
			assert.deepEqual(ids((await list({ userId, sinceId: all[9], limit: 3 })).body), all.slice(6, 9));
		});

		it('sinceId and untilId together give those between, newest first', async () => {
			assert.deepEqual(ids((await list({ userId, sinceId: all[8], untilId: all[3], limit: 100 })).body), all.slice(4, 8));
		});

		it('walking with untilId visits every webhook once', async () => {
			const seen: string[] = [];
			let untilId: string | undefined;
			for (;;) {
				const page = ids((await list({ userId, limit: 5, ...(untilId ? { untilId } : {}) })).body);
				if (page.length === 0) break;
				seen.push(...page);
				untilId = page[page.length - 1];
			}
			assert.deepEqual(seen, all);
		});

		it('walking with sinceId from the oldest visits every webhook once', async () => {
			const seen: string[] = [];
			let sinceId = all[all.length - 1]!;
			for (;;) {
				const page = ids((await list({ userId, limit: 5, sinceId })).body);
				if (page.length === 0) break;
				seen.unshift(...page);
				sinceId = page[0]!;
			}
			assert.deepEqual(seen, all.slice(0, -1));
		});
	});

	describe('access', () => {
		it('a user who is no moderator gets ROLE_PERMISSION_DENIED (403)', async () => {
			const response = await list({}, newCaller(api).token);
			assert.equal(response.status, 403);
			assert.equal(response.body.error.code, 'ROLE_PERMISSION_DENIED');
			assert.equal(response.body.error.id, rolePermissionDeniedId);
		});

		it("an app token gets ACCESS_DENIED, even a moderator's holding the endpoint's kind", async () => {
			const user = api.host.addUser({ isModerator: true });
			const appToken = api.host.issueToken(user, { native: false, permissions: ['read:admin:webhooks'] });
			const response = await list({}, appToken);
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'ACCESS_DENIED');
			assert.equal(response.body.error.id, accessDeniedId);
		});

		it('an anonymous call gets ACCESS_DENIED', async () => {
			const response = await api.call('admin/webhooks/list', {});
			assert.equal(response.body.error.code, 'ACCESS_DENIED');
		});
	});

	const violations: Array<[string, Record<string, unknown>, string]> = [
		['limit 0', { limit: 0 }, '#/properties/limit/minimum'],
		['limit 101', { limit: 101 }, '#/properties/limit/maximum'],
		['a fractional limit', { limit: 2.5 }, '#/properties/limit/type'],
		['a userId that is no Misskey id', { userId: 'not-an-id' }, '#/properties/userId/format'],
		['a string active', { active: 'yes' }, '#/properties/active/type'],
		['a string failing', { failing: 'true' }, '#/properties/failing/type'],
		['a sinceId that is no Misskey id', { sinceId: '../x' }, '#/properties/sinceId/format'],
		['an untilId that is a number', { untilId: 5 }, '#/properties/untilId/type'],
	];
	for (const [what, params, param] of violations) {
		it(`${what} gets INVALID_PARAM naming ${param}`, async () => {
			const response = await list(params);
			assert.equal(response.status, 400);
			assert.equal(response.body.error.code, 'INVALID_PARAM');
			assert.equal(response.body.error.info.param, param);
		});
	}
});
