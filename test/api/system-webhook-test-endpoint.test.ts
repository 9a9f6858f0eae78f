import assert from 'node:assert/strict';
import { systemWebhookEventTypes } from '../../src/events/catalogue.js';
import { dummySystemWebhookBody } from '../../src/api/packing/system-dummies.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';
import { createSystemHook, errorOf, newModerator } from './system-webhook-fixture.js';

const missingId = 'aaaaaaaaaaaaaaaa';
const noSuchWebhookOnTest = { status: 400, code: 'NO_SUCH_WEBHOOK', id: '0c52149c-e913-18f8-5dc7-74870bfe0cf9' };

describe('admin/system-webhook/test', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	let moderator: { userId: string; token: string };
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		moderator = newModerator(api);
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});
	beforeEach(() => receiver.clear());

	const test = (params: Record<string, unknown>, token = moderator.token) => api.call('admin/system-webhook/test', params, { token });
	const newHook = (params: Record<string, unknown> = {}) => createSystemHook(api, moderator.token, { url: receiver.url('/system'), secret: 'the-secret', on: ['userCreated'], ...params });

	for (const type of systemWebhookEventTypes) {
		it(`${type}: replies 204 and the receiver gets Misskey's dummy body in a system envelope under the real hook id`, async () => {
			const hook = await newHook();
			const response = await test({ webhookId: hook.id, type });
			assert.equal(response.status, 204);
			assert.equal(response.rawBody, '');
			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.headers['x-misskey-hook-id'], hook.id);
			assert.equal(request.headers['x-misskey-hook-secret'], 'the-secret');
			assert.deepEqual(Object.keys(request.json), ['server', 'hookId', 'eventId', 'createdAt', 'type', 'body']);
			schemas.assert('SystemWebhookEnvelope', request.json);
			assert.equal(request.json.hookId, hook.id);
			assert.equal(request.json.type, type);
			schemas.assert(eventBodySchemaName(type), request.json.body);
			assert.deepEqual(request.json.body, dummySystemWebhookBody(type));
		});
	}

	it("the abuse dummies are Misskey's: dummy2 reports dummy1, and dummy3 is the assignee once resolved", () => {
		const filed = dummySystemWebhookBody('abuseReport') as any;
		const resolved = dummySystemWebhookBody('abuseReportResolved') as any;
		assert.deepEqual([filed.id, filed.targetUserId, filed.reporterId, filed.assigneeId, filed.assignee, filed.resolved], ['dummy-abuse-report1', 'dummy-user-1', 'dummy-user-2', null, null, false]);
		assert.deepEqual([filed.comment, filed.moderationNote, filed.forwarded, filed.resolvedAs], ['This is a dummy report for testing purposes.', 'foo', false, null]);
		assert.deepEqual([resolved.assigneeId, resolved.assignee.username, resolved.resolved], ['dummy-user-3', 'dummy3', true]);
		assert.equal((dummySystemWebhookBody('userCreated') as any).username, 'dummy1');
		assert.deepEqual(dummySystemWebhookBody('inactiveModeratorsWarning'), { remainingTime: { time: 100000, asDays: 1, asHours: 24 } });
	});

	it('ignores isActive and on: an inactive webhook without the type is still sent to', async () => {
		const hook = await newHook({ isActive: false, on: [] });
		assert.equal((await test({ webhookId: hook.id, type: 'abuseReport' })).status, 204);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.json.type, 'abuseReport');
	});

	it('override replaces the URL and the secret for this send only', async () => {
		const hook = await newHook();
		await test({ webhookId: hook.id, type: 'userCreated', override: { url: receiver.url('/elsewhere'), secret: 'unsaved' } });
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.path, '/elsewhere');
		assert.equal(request.headers['x-misskey-hook-secret'], 'unsaved');
		const stored = await api.systemStore.findById(hook.id);
		assert.equal(stored?.url, receiver.url('/system'));
		assert.equal(stored?.secret, 'the-secret');
	});

	it('makes one attempt only, and writes its status to the real row', async () => {
		const hook = await newHook();
		receiver.replyAlways({ status: 503 });
		await test({ webhookId: hook.id, type: 'userCreated' });
		await receiver.waitForRequests(1);
		const row = await eventually(() => api.systemStore.findById(hook.id), (found) => found?.latestStatus !== null);
		assert.equal(row?.latestStatus, 503);
		assert.equal((await receiver.settle(200)).length, 1, 'no retry');
	});

	it('an unknown id gets NO_SUCH_WEBHOOK with the user test endpoint\'s id (400), and sends nothing', async () => {
		const response = await test({ webhookId: missingId, type: 'userCreated' });
		assert.deepEqual(errorOf(response), noSuchWebhookOnTest);
		assert.equal(response.body.error.kind, 'client');
		assert.deepEqual(await receiver.settle(100), []);
	});

	it("a user webhook's id is no system webhook: NO_SUCH_WEBHOOK", async () => {
		const { token } = api.host.addUserWithToken();
		const created = await api.call('i/webhooks/create', { name: 'mine', url: receiver.url('/user'), on: ['note'] }, { token });
		assert.equal(created.status, 200, created.rawBody);
		assert.deepEqual(errorOf(await test({ webhookId: created.body.id, type: 'userCreated' })), noSuchWebhookOnTest);
	});

	it('a user event type, or no type, gets INVALID_PARAM', async () => {
		const hook = await newHook();
		assert.equal(errorOf(await test({ webhookId: hook.id, type: 'note' })).code, 'INVALID_PARAM');
		assert.equal(errorOf(await test({ webhookId: hook.id })).code, 'INVALID_PARAM');
	});

	it('allows 60 calls per 15 minutes per moderator; the 61st gets RATE_LIMIT_EXCEEDED with Retry-After', async () => {
		const limited = newModerator(api);
		const hook = await newHook({ url: receiver.url('/limited') });
		for (let i = 0; i < 60; i++) assert.equal((await test({ webhookId: hook.id, type: 'inactiveModeratorsInvitationOnlyChanged' }, limited.token)).status, 204, `call ${i + 1}`);
		const refused = await test({ webhookId: hook.id, type: 'inactiveModeratorsInvitationOnlyChanged' }, limited.token);
		assert.deepEqual(errorOf(refused), { status: 429, code: 'RATE_LIMIT_EXCEEDED', id: 'd5826d14-3982-4d2e-8011-b9e9f02499ef' });
		const retryAfter = Number(refused.headers['retry-after']);
		assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
		assert.equal((await test({ webhookId: hook.id, type: 'inactiveModeratorsInvitationOnlyChanged' })).status, 204, 'another moderator has a window of their own');
		await receiver.waitForRequests(61);
	});
});
