import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { normalizeOptions } from '../../../src/config/options.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from '../../../src/delivery/sender/agents.js';
import { WebhookSender } from '../../../src/delivery/sender/sender.js';
import { buildWebhookEnvelope } from '../../../src/delivery/sender/envelope.js';
import { classifyDelivery } from '../../../src/delivery/retry/outcome.js';
import { nextDelayMs, retryPolicies } from '../../../src/delivery/retry/retry-policy.js';
import type { UserWebhookDeliverJobData } from '../../../src/delivery/job/job-data.js';
import type { PayloadFormat } from '../../../src/core/payload-format.js';
import { discordBodyOf, slackBodyOf } from '../../../src/delivery/format/render.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../../support/env.js';
import { TestReceiver, type ReceivedRequest } from '../../support/receiver.js';
import { verifies } from '../../support/signature.js';
import { newWhsecSecret } from '../../signing/fixture.js';
import { DeliveryFixture } from '../fixture.js';
import { deliveryRowOnce } from '../outbox-fixture.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { generateId } from '../../../src/store/id.js';
import { exampleEvents } from '../../../scripts/format-example-events.js';

const SERVER_URL = 'https://misskey.example';
const noteBody = exampleEvents.note[0]!;

describe('payload formats on the wire: only the body changes', () => {
	let receiver: TestReceiver;
	let agents: DeliveryAgents;
	let sender: WebhookSender;
	const secret = newWhsecSecret();

	before(async () => {
		receiver = await new TestReceiver().start();
		const options = normalizeOptions({ serverUrl: SERVER_URL, redisUrl: testRedisUrl, requestTimeoutMs: 2000, allowedPrivateNetworks: testAllowedPrivateNetworks, showPrivateNetworkAnswers: true });
		agents = createDeliveryAgents(options);
		sender = new WebhookSender({ options, agents });
	});
	afterEach(() => receiver.clear());
	after(async () => {
		destroyDeliveryAgents(agents);
		await receiver.close();
	});

	function job(format: PayloadFormat | undefined): UserWebhookDeliverJobData {
		return {
			type: 'note', content: noteBody, webhookId: '9x0hook001', userId: '9x0alice00', to: receiver.url(`/${format ?? 'none'}`),
			secret, createdAt: 1_757_323_800_000, eventId: randomUUID(), ...(format === undefined ? {} : { format }),
		};
	}

	async function sendOne(data: UserWebhookDeliverJobData): Promise<ReceivedRequest> {
		const result = await sender.send(data);
		assert.deepEqual(result, { kind: 'response', status: 200 });
		const [request] = await receiver.waitForRequests(1, 5000, new URL(data.to).pathname);
		return request!;
	}

	for (const format of ['discord', 'slack'] as const) {
		it(`${format}: the rendered body, with Misskey's headers and a signature that verifies over the bytes sent`, async () => {
			const data = job(format);
			const request = await sendOne(data);
			const expected = format === 'discord' ? discordBodyOf({ type: 'note', body: noteBody }, { serverUrl: SERVER_URL, createdAt: data.createdAt }) : slackBodyOf({ type: 'note', body: noteBody }, { serverUrl: SERVER_URL, createdAt: data.createdAt });
			assert.equal(request.rawBody, JSON.stringify(expected));
			assert.equal(request.headers['content-type'], 'application/json');
			assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
			assert.equal(request.headers['x-misskey-host'], 'misskey.example');
			assert.equal(request.headers['x-misskey-hook-id'], '9x0hook001');
			assert.equal(request.headers['x-misskey-hook-secret'], secret);
			assert.equal(request.headers['webhook-id'], data.eventId);
			assert.equal(verifies(secret, request), true);
			assert.equal(Buffer.byteLength(request.rawBody), Number(request.headers['content-length']));
		});
	}

	it('misskey: exactly the bytes of a job without a format, Misskey\'s envelope', async () => {
		const data = job('misskey');
		const request = await sendOne(data);
		assert.equal(request.rawBody, JSON.stringify(buildWebhookEnvelope(data, SERVER_URL)));
		const { format: _format, ...withoutFormat } = data;
		assert.equal(JSON.stringify(buildWebhookEnvelope(withoutFormat, SERVER_URL)), request.rawBody);
		assert.equal(verifies(secret, request), true);
	});

	for (const format of ['discord', 'slack'] as const) {
		it(`${format}: a 429 with Retry-After: 2 (seconds, as both services send it) is a throttled retry no sooner than 2 s under every preset`, async () => {
			receiver.replyAlways({ status: 429, headers: { 'retry-after': '2' }, body: '{"message":"You are being rate limited.","retry_after":2,"global":false}' });
			const result = await sender.send(job(format));
			assert.deepEqual(result, { kind: 'response', status: 429, retryAfter: '2', bodyPrefix: '{"message":"You are being rate limited.","retry_after":2,"global":false}' });
			const outcome = classifyDelivery(result);
			assert.deepEqual(outcome, { kind: 'retry', status: 429, reason: '429 Too Many Requests', throttle: true, retryAfterMs: 2000 });
			for (const [name, policy] of Object.entries(retryPolicies)) {
				for (const attemptsMade of [1, 2, 3]) {
					const delay = nextDelayMs({ policy, attemptsMade, outcome, random: () => 0 });
					assert.ok(delay !== null && delay >= 2000, `${name} after attempt ${attemptsMade}: ${delay}`);
				}
			}
		});
	}
});

describe('payload formats through the queue and the outbox', () => {
	let fixture: DeliveryFixture;
	let receiver: TestReceiver;

	before(async () => {
		fixture = await DeliveryFixture.start();
		receiver = await new TestReceiver().start();
	});
	afterEach(() => receiver.clear());
	after(async () => {
		await fixture.close();
		await receiver.close();
	});

	it("a webhook's format is copied into the job and the outbox row; a retry sends the same bytes", async () => {
		const secret = newWhsecSecret();
		const hook = await fixture.store.create({ userId: 'user-format', name: 'to discord', url: receiver.url('/discord'), secret, on: ['note'], format: 'discord', template: null, templateContentType: 'application/json' as const });
		assert.equal(hook.format, 'discord');
		receiver.replyNext({ status: 503 });
		const delivery = await fixture.delivery({ retryDelaysMs: [1100] });
		await delivery.enqueue([hook], 'note', noteBody);
		const [first, retry] = await receiver.waitForRequests(2, 8000, '/discord');
		assert.deepEqual(first!.json.allowed_mentions, { parse: [] });
		assert.equal(first!.json.embeds[0].url, 'https://misskey.example/notes/9x0note001');
		assert.equal(retry!.rawBody, first!.rawBody);
		assert.equal(verifies(secret, first!), true);
		assert.equal(verifies(secret, retry!), true);
		const row = await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered');
		assert.equal(row.format, 'discord');
	});

	it('a delivery the reconciler re-queues from its outbox row keeps the format it was queued with', async () => {
		const queuePrefix = `mw-test-format-${randomUUID()}`;
		const hook = await fixture.store.create({ userId: 'user-format', name: 'to slack', url: receiver.url('/requeued'), secret: '', on: ['note'], format: 'slack', template: null, templateContentType: 'application/json' as const });
		// Written as an enqueue writes them, but the job never added: a crash between the INSERT and the add.
		await new DeliveryStore(fixture.dataSource).insertEvent({ kind: 'user', queuePrefix, type: 'note', bodyText: JSON.stringify(noteBody), createdAt: new Date(1_757_323_800_000) }, [{
			id: generateId(), webhookId: hook.id, userId: hook.userId, eventId: randomUUID(), url: hook.url, secret: hook.secret,
			retryPolicy: 'standard', sendSecretHeader: true, previousSecret: null, previousSecretExpiresAt: null, maxAttempts: 3, format: 'slack', deliveryRate: null, deliveryBurst: null, template: null, templateContentType: 'application/json' as const,
		}]);
		await fixture.delivery({ queuePrefix, reconcileSettleMs: 0 });
		const [request] = await receiver.waitForRequests(1, 5000, '/requeued');
		assert.equal(request!.rawBody, JSON.stringify(slackBodyOf({ type: 'note', body: noteBody }, { serverUrl: SERVER_URL, createdAt: 1_757_323_800_000 })));
	});

	it('a webhook left at the default is delivered as Misskey\'s envelope and recorded as misskey', async () => {
		const hook = await fixture.createWebhook(receiver.url('/default'));
		assert.equal(hook.format, 'misskey');
		const delivery = await fixture.delivery();
		await delivery.enqueue([hook], 'note', noteBody);
		const [request] = await receiver.waitForRequests(1, 5000, '/default');
		assert.deepEqual(request!.json.body, noteBody);
		assert.equal((await deliveryRowOnce(fixture.dataSource, hook.id, 'delivered')).format, 'misskey');
	});
});
