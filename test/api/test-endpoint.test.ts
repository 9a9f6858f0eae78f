import assert from 'node:assert/strict';
import { userWebhookEventTypes, type UserWebhookEventType } from '../../src/events/catalogue.js';
import { dummyUserWebhookBody } from '../../src/api/packing/dummies.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventBodySchemaName } from '../../src/events/catalogue.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const missingId = 'aaaaaaaaaaaaaaaa';
const testNoSuchWebhookId = '0c52149c-e913-18f8-5dc7-74870bfe0cf9';

/** The value with every ISO date replaced by a marker: dummy payloads carry "now", so only their shape and values compare. */
function withoutDates(value: unknown): unknown {
	if (typeof value === 'string') return isoDate.test(value) ? '<date>' : value;
	if (Array.isArray(value)) return value.map(withoutDates);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutDates(inner)]));
	return value;
}

describe('i/webhooks/test', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
	});

	after(async () => {
		await api.close();
		await receiver.close();
	});

	beforeEach(() => receiver.clear());

	async function newHook(params: Record<string, unknown> = {}): Promise<{ userId: string; token: string; hook: any }> {
		const { user, token } = api.host.addUserWithToken();
		const response = await api.call('i/webhooks/create', { name: 'hook', url: receiver.url('/hook'), secret: 'the-secret', on: ['note'], ...params }, { token });
		assert.equal(response.status, 200, response.rawBody);
		return { userId: user.id, token, hook: response.body };
	}

	const sendingTypes = userWebhookEventTypes.filter((type): type is Exclude<UserWebhookEventType, 'reaction'> => type !== 'reaction');
	for (const type of sendingTypes) {
		it(`${type}: replies 204 and the receiver gets Misskey's dummy payload under the real hook id`, async () => {
			const { userId, token, hook } = await newHook();
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type }, { token });
			assert.equal(response.status, 204);
			assert.equal(response.rawBody, '');

			const [request] = await receiver.waitForRequests(1);
			assert.equal(request.path, '/hook');
			assert.equal(request.headers['x-misskey-hook-id'], hook.id);
			assert.equal(request.headers['x-misskey-hook-secret'], 'the-secret');
			assert.equal(request.headers['x-misskey-host'], api.options.serverHost);
			const envelope = request.json;
			assert.deepEqual(Object.keys(envelope), ['server', 'hookId', 'userId', 'eventId', 'createdAt', 'type', 'body']);
			assert.equal(envelope.server, api.options.serverUrl);
			assert.equal(envelope.hookId, hook.id);
			assert.equal(envelope.userId, userId);
			assert.equal(envelope.type, type);
			assert.deepEqual(withoutDates(envelope.body), withoutDates(dummyUserWebhookBody(type)));
			schemas.assert(eventBodySchemaName(type), envelope.body);
		});
	}

	it("records the attempt on the real webhook's latestSentAt and latestStatus", async () => {
		const { userId, token, hook } = await newHook();
		receiver.replyNext({ status: 202 });
		await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
		await receiver.waitForRequests(1);
		const row = await eventually(() => api.store.findOwned(hook.id, userId), (found) => found?.latestStatus === 202);
		assert.ok(row?.latestSentAt instanceof Date);
	});

	it('override url and secret are used for this send only', async () => {
		const { userId, token, hook } = await newHook();
		const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'follow', override: { url: receiver.url('/override'), secret: 'unsaved' } }, { token });
		assert.equal(response.status, 204);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.path, '/override');
		assert.equal(request.headers['x-misskey-hook-secret'], 'unsaved');
		assert.equal(request.json.hookId, hook.id);
		const stored = await api.store.findOwned(hook.id, userId);
		assert.equal(stored?.url, receiver.url('/hook'));
		assert.equal(stored?.secret, 'the-secret');
	});

	it('an override with only a secret keeps the saved url', async () => {
		const { token, hook } = await newHook();
		await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { secret: 'other' } }, { token });
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.path, '/hook');
		assert.equal(request.headers['x-misskey-hook-secret'], 'other');
	});

	it('an inactive webhook is still tested', async () => {
		const { token, hook } = await newHook();
		await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token });
		assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token })).status, 204);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.json.hookId, hook.id);
	});

	it('a type the webhook is not subscribed to is still tested', async () => {
		const { token, hook } = await newHook({ on: [] });
		assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'unfollow' }, { token })).status, 204);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.json.type, 'unfollow');
	});

	it('reaction replies 204 and sends nothing', async () => {
		const { token, hook } = await newHook();
		const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token });
		assert.equal(response.status, 204);
		// A marker sent afterwards: once it has arrived, a reaction delivery queued before it would have had its chance too.
		await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
		await receiver.waitForRequests(1);
		const arrived = await receiver.settle(100);
		assert.deepEqual(arrived.map((request) => request.json.type), ['note']);
	});

	it('is sent once: a failed test is not retried', async () => {
		const { userId, token, hook } = await newHook();
		receiver.replyAlways({ status: 503 });
		await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token });
		await receiver.waitForRequests(1);
		await eventually(() => api.store.findOwned(hook.id, userId), (found) => found?.latestStatus === 503);
		// The harness retries other jobs after 10 ms; give a retry ample time to show up.
		assert.equal((await receiver.settle(300)).length, 1);
	});

	it('a missing id gets NO_SUCH_WEBHOOK with the test id', async () => {
		const { token } = await newHook();
		const response = await api.call('i/webhooks/test', { webhookId: missingId, type: 'note' }, { token });
		assert.equal(response.status, 400);
		assert.deepEqual(response.body.error, { message: 'No such webhook.', code: 'NO_SUCH_WEBHOOK', id: testNoSuchWebhookId, kind: 'client' });
	});

	it("another user's webhook looks missing and nothing is sent to it", async () => {
		const { hook } = await newHook();
		const { token: otherToken } = api.host.addUserWithToken();
		const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token: otherToken });
		assert.equal(response.body.error.id, testNoSuchWebhookId);
		assert.equal((await receiver.settle(100)).length, 0);
	});

	it('reaction on a missing id still gets NO_SUCH_WEBHOOK', async () => {
		const { token } = await newHook();
		const response = await api.call('i/webhooks/test', { webhookId: missingId, type: 'reaction' }, { token });
		assert.equal(response.body.error.id, testNoSuchWebhookId);
	});

	it('an unknown type and a missing type get INVALID_PARAM', async () => {
		const { token, hook } = await newHook();
		const unknown = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'antenna' }, { token });
		assert.equal(unknown.body.error.info.param, '#/properties/type/enum');
		const missing = await api.call('i/webhooks/test', { webhookId: hook.id }, { token });
		assert.equal(missing.body.error.info.reason, "must have required property 'type'");
	});

	it('is secure: an app token gets ACCESS_DENIED even when it holds read:account', async () => {
		const { userId, hook } = await newHook();
		const appToken = api.host.issueToken({ id: userId, isSuspended: false }, { native: false, permissions: ['read:account', 'write:account'] });
		const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note' }, { token: appToken });
		assert.equal(response.status, 400);
		assert.equal(response.body.error.code, 'ACCESS_DENIED');
		assert.equal(response.body.error.id, '56f35758-7dd5-468b-8439-5d6fb8ec9b8e');
	});

	describe('rate limit: 60 calls per 15 minutes', () => {
		it('the 61st call gets RATE_LIMIT_EXCEEDED (429) with Retry-After and the limiter state', async () => {
			const { token, hook } = await newHook();
			for (let n = 1; n <= 60; n++) {
				const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token });
				assert.equal(response.status, 204, `call ${n}`);
			}
			const before = Date.now();
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token });
			assert.equal(response.status, 429);
			const { error } = response.body;
			assert.equal(error.code, 'RATE_LIMIT_EXCEEDED');
			assert.equal(error.id, 'd5826d14-3982-4d2e-8011-b9e9f02499ef');
			assert.equal(error.kind, 'client');
			assert.equal(error.info.total, 60);
			assert.equal(error.info.remaining, 0);
			assert.ok(error.info.resetMs > before && error.info.resetMs <= before + 15 * 60 * 1000 + 1000, `resetMs ${error.info.resetMs}`);
			const retryAfter = Number(response.headers['retry-after']);
			assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900, `Retry-After ${response.headers['retry-after']}`);
			// ⌈(resetMs − now) / 1000⌉, allowing for the clock ticking past a second between the server and here.
			assert.ok(Math.abs(retryAfter - Math.ceil((error.info.resetMs - Date.now()) / 1000)) <= 1);
		});

		it('is checked before params: a limited caller with bad params still gets RATE_LIMIT_EXCEEDED', async () => {
			const { token, hook } = await newHook();
			for (let n = 0; n < 60; n++) await api.call('i/webhooks/test', { webhookId: missingId, type: 'reaction' }, { token });
			const response = await api.call('i/webhooks/test', { webhookId: hook.id, type: 'antenna' }, { token });
			assert.equal(response.body.error.code, 'RATE_LIMIT_EXCEEDED');
		});

		it('is counted per user: another user is not limited', async () => {
			const limited = await newHook();
			for (let n = 0; n < 60; n++) await api.call('i/webhooks/test', { webhookId: limited.hook.id, type: 'reaction' }, { token: limited.token });
			assert.equal((await api.call('i/webhooks/test', { webhookId: limited.hook.id, type: 'reaction' }, { token: limited.token })).status, 429);
			const other = await newHook();
			assert.equal((await api.call('i/webhooks/test', { webhookId: other.hook.id, type: 'reaction' }, { token: other.token })).status, 204);
		});

		it('is shared by every process of the server through Redis', async () => {
			const second = await startApiHarness({ host: api.host, dataSource: api.dataSource, options: { serverUrl: api.options.serverUrl } });
			try {
				const { token, hook } = await newHook();
				for (let n = 0; n < 30; n++) {
					assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token })).status, 204);
					assert.equal((await second.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token })).status, 204);
				}
				assert.equal((await second.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token })).status, 429);
				assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token })).status, 429);
			} finally {
				await second.close();
			}
		});

		it('does not limit the other endpoints', async () => {
			const { token, hook } = await newHook();
			for (let n = 0; n < 61; n++) await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token });
			assert.equal((await api.call('i/webhooks/show', { webhookId: hook.id }, { token })).status, 200);
		});
	});
});

describe('i/webhooks/test with rateLimit: false', () => {
	let api: ApiHarness;

	before(async () => {
		api = await startApiHarness({ options: { rateLimit: false } });
	});

	after(async () => {
		await api.close();
	});

	it('accepts a 61st call within 15 minutes', async () => {
		const { token } = api.host.addUserWithToken();
		const hook = (await api.call('i/webhooks/create', { name: 'h', url: 'http://127.0.0.1:9/', on: [] }, { token })).body;
		for (let n = 1; n <= 61; n++) {
			assert.equal((await api.call('i/webhooks/test', { webhookId: hook.id, type: 'reaction' }, { token })).status, 204, `call ${n}`);
		}
	});
});
