import assert from 'node:assert/strict';
import * as Misskey from 'misskey-js';
import type { UserWebhook } from '../../src/generated/user-webhook.js';
import type { webhookPauseKeys } from '../../src/api/packing/webhook-options.js';
import type { WebhookOptionNameOf } from '../../src/core/webhook-options.js';
import { createSchemaValidator } from '../../src/schemas.js';
import { TestReceiver } from '../support/receiver.js';
import { eventually, startApiHarness, type ApiHarness } from './api-harness.js';

// Compile-time: our packed shape and misskey-js's must stay assignable both ways, so `npm run typecheck` fails if either drifts;
// only our pause keys and delivery options are ours alone. `on` is wider on our side: it is answered as the owner gave
// it, our event types and strings we do not know included; a webhook whose `on` holds only Misskey's types matches.
type Assignable<From extends To, To> = [From, To];
type MisskeyUserWebhookKeys = Omit<UserWebhook, typeof webhookPauseKeys[number] | WebhookOptionNameOf<'user'> | 'previousSecretExpiresAt'>;
type UserWebhookOfMisskeyTypes = Omit<UserWebhook, 'on'> & { on: Misskey.entities.UserWebhook['on'] };
export type UserWebhookMatchesMisskeyJs = [
	Assignable<UserWebhookOfMisskeyTypes, Misskey.entities.UserWebhook>,
	Assignable<Misskey.entities.UserWebhook, MisskeyUserWebhookKeys>,
	Assignable<UserWebhookOfMisskeyTypes, Misskey.entities.IWebhooksCreateResponse>,
	Assignable<UserWebhookOfMisskeyTypes, Misskey.entities.IWebhooksShowResponse>,
	Assignable<UserWebhookOfMisskeyTypes[], Misskey.entities.IWebhooksListResponse>,
];

describe('the official misskey-js client, unmodified, against a listening server', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;
	let client: Misskey.api.APIClient;
	let origin: string;
	let userId: string;
	const schemas = createSchemaValidator();

	before(async () => {
		api = await startApiHarness();
		receiver = await new TestReceiver().start();
		origin = await api.app.listen({ port: 0, host: '127.0.0.1' });
		const { user, token } = api.host.addUserWithToken();
		userId = user.id;
		client = new Misskey.api.APIClient({ origin, credential: token });
	});

	after(async () => {
		await api.close();
		await receiver.close();
	});

	it('drives create, list, show, update, test and delete', async () => {
		const created: Misskey.entities.IWebhooksCreateResponse = await client.request('i/webhooks/create', { name: 'from misskey-js', url: receiver.url('/hook'), on: ['note', 'follow'] });
		schemas.assert('UserWebhook', created);
		const createdHere: MisskeyUserWebhookKeys = created;
		assert.equal(createdHere.userId, userId);
		assert.equal(created.secret, '');
		assert.equal(created.latestSentAt, null);

		const listed: Misskey.entities.IWebhooksListResponse = await client.request('i/webhooks/list', {});
		for (const hook of listed) schemas.assert('UserWebhook', hook);
		assert.deepEqual(listed, [created]);

		const shown: Misskey.entities.IWebhooksShowResponse = await client.request('i/webhooks/show', { webhookId: created.id });
		schemas.assert('UserWebhook', shown);
		assert.deepEqual(shown, created);

		const updated = await client.request('i/webhooks/update', { webhookId: created.id, name: 'renamed', secret: 'new-secret' });
		assert.equal(updated, null, '204 resolves to null');

		const tested = await client.request('i/webhooks/test', { webhookId: created.id, type: 'followed' });
		assert.equal(tested, null);
		const [request] = await receiver.waitForRequests(1);
		assert.equal(request.json.hookId, created.id);
		assert.equal(request.json.type, 'followed');
		assert.equal(request.headers['x-misskey-hook-secret'], 'new-secret');

		const afterTest = await eventually(() => client.request('i/webhooks/show', { webhookId: created.id }), (hook) => hook.latestStatus !== null);
		schemas.assert('UserWebhook', afterTest);
		assert.equal(afterTest.name, 'renamed');
		assert.equal(afterTest.latestStatus, 200);
		assert.equal(typeof afterTest.latestSentAt, 'string');

		const deleted = await client.request('i/webhooks/delete', { webhookId: created.id });
		assert.equal(deleted, null);
		assert.deepEqual(await client.request('i/webhooks/list', {}), []);
	});

	it('rejects with the error object: code and id of NO_SUCH_WEBHOOK', async () => {
		const rejection = await client.request('i/webhooks/show', { webhookId: 'aaaaaaaaaaaaaaaa' }).then(
			() => assert.fail('expected a rejection'),
			(reason: Record<PropertyKey, unknown>) => reason,
		);
		assert.ok(Misskey.api.isAPIError(rejection));
		assert.equal(rejection.code, 'NO_SUCH_WEBHOOK');
		assert.equal(rejection.id, '50f614d9-3047-4f7e-90d8-ad6b2d5fb098');
		assert.equal(rejection.kind, 'client');
	});

	it('rejects an unknown credential with AUTHENTICATION_FAILED', async () => {
		const stranger = new Misskey.api.APIClient({ origin, credential: 'no-such-token' });
		const rejection = await stranger.request('i/webhooks/list', {}).then(
			() => assert.fail('expected a rejection'),
			(reason: Record<PropertyKey, unknown>) => reason,
		);
		assert.ok(Misskey.api.isAPIError(rejection));
		assert.equal(rejection.code, 'AUTHENTICATION_FAILED');
		assert.equal(rejection.id, 'b0a7f5f8-dc2f-4171-b91f-de88ad238e14');
	});
});
