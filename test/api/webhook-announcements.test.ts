import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { createHook, eventually, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';

const missingId = 'aaaaaaaaaaaaaaaa';

describe('i/webhooks/* announce every write', () => {
	let api: ApiHarness;
	let observer: WebhookRegistry;
	let subscriber: Redis;
	const heard: any[] = [];

	before(async () => {
		api = await startApiHarness();
		// Another process's registry, started before any write below, so what it learns can only come from announcements.
		observer = await WebhookRegistry.start({ store: api.store, redisUrl: api.options.redisUrl, channel: api.options.serverHost });
		subscriber = new Redis(api.options.redisUrl);
		subscriber.on('message', (_channel: string, message: string) => heard.push(JSON.parse(message)));
		await subscriber.subscribe(api.options.serverHost);
	});

	after(async () => {
		await observer.close();
		await subscriber.quit();
		await api.close();
	});

	it('create, update and delete each publish their internal event on the server-host channel', async () => {
		const { token } = newCaller(api);
		heard.length = 0;
		const hook = await createHook(api, token);
		await api.call('i/webhooks/update', { webhookId: hook.id, name: 'renamed' }, { token });
		await api.call('i/webhooks/delete', { webhookId: hook.id }, { token });
		const messages = await eventually(() => heard.filter((m) => m.message?.body?.id === hook.id), (found) => found.length >= 3);
		assert.deepEqual(messages.map((m) => [m.channel, m.message.type]), [['internal', 'webhookCreated'], ['internal', 'webhookUpdated'], ['internal', 'webhookDeleted']]);
		assert.equal(messages[0].message.body.name, validCreateParams.name);
		assert.equal(messages[1].message.body.name, 'renamed', 'the update carries the fresh row');
		assert.equal(messages[2].message.body.name, 'renamed', 'the delete carries the row as it was');
	});

	it("another process's registry follows every write", async () => {
		const { userId, token } = newCaller(api);
		const ids = () => observer.match(userId, 'note').map((row) => row.id);
		const hook = await createHook(api, token, { ...validCreateParams, on: ['note'] });
		await eventually(ids, (found) => found.includes(hook.id));

		await api.call('i/webhooks/update', { webhookId: hook.id, active: false }, { token });
		await eventually(ids, (found) => !found.includes(hook.id));

		await api.call('i/webhooks/update', { webhookId: hook.id, active: true, on: ['follow'] }, { token });
		await eventually(() => observer.match(userId, 'follow').map((row) => row.id), (found) => found.includes(hook.id));
		assert.deepEqual(ids(), []);

		await api.call('i/webhooks/delete', { webhookId: hook.id }, { token });
		await eventually(() => observer.match(userId, 'follow').map((row) => row.id), (found) => !found.includes(hook.id));
	});

	it('a refused write announces nothing', async () => {
		const { token } = newCaller(api);
		const hook = await createHook(api, token);
		await eventually(() => heard.filter((m) => m.message?.body?.id === hook.id), (found) => found.length === 1);
		heard.length = 0;
		await api.call('i/webhooks/update', { webhookId: hook.id, name: '' }, { token });
		await api.call('i/webhooks/delete', { webhookId: missingId }, { token });
		// A marker write after the refused ones: once it is heard, anything the refused ones published would be too.
		const marker = await createHook(api, newCaller(api).token);
		await eventually(() => heard, (found) => found.some((m) => m.message?.body?.id === marker.id));
		assert.deepEqual(heard.map((m) => m.message.body.id), [marker.id]);
	});
});
