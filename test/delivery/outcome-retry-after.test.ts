import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { normalizeOptions } from '../../src/config/options.js';
import { createDeliveryAgents, destroyDeliveryAgents, type DeliveryAgents } from '../../src/delivery/sender/agents.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { classifyDelivery } from '../../src/delivery/retry/outcome.js';
import { nextDelayMs, retryPolicies } from '../../src/delivery/retry/retry-policy.js';
import { WebhookSender } from '../../src/delivery/sender/sender.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { sampleBody } from './fixture.js';

describe("a receiver's Retry-After, from the wire to the next delay", () => {
	let receiver: TestReceiver;
	let agents: DeliveryAgents;
	let sender: WebhookSender;

	before(async () => {
		receiver = await new TestReceiver().start();
		const options = normalizeOptions({
			serverUrl: 'https://misskey.example',
			redisUrl: testRedisUrl,
			requestTimeoutMs: 1000,
			allowedPrivateNetworks: testAllowedPrivateNetworks,
		});
		agents = createDeliveryAgents(options);
		sender = new WebhookSender({ options, agents });
	});
	afterEach(() => receiver.clear());
	after(async () => {
		destroyDeliveryAgents(agents);
		await receiver.close();
	});

	function job(): UserWebhookDeliverJobData {
		return { type: 'note', content: sampleBody, webhookId: 'hook1', userId: 'user1', to: receiver.url(`/${randomUUID()}`), secret: '', createdAt: Date.now(), eventId: randomUUID() };
	}

	it('the sender reports the Retry-After header of a 503', async () => {
		receiver.replyAlways({ status: 503, headers: { 'retry-after': '120' } });
		assert.deepEqual(await sender.send(job()), { kind: 'response', status: 503, retryAfter: '120', answerWithheld: true });
	});

	it('a response without Retry-After carries none', async () => {
		receiver.replyAlways({ status: 500 });
		assert.deepEqual(await sender.send(job()), { kind: 'response', status: 500, answerWithheld: true });
	});

	it("a 429's Retry-After lengthens the standard 5 min step within its 2× bound", async () => {
		receiver.replyAlways({ status: 429, headers: { 'retry-after': '420' } });
		const outcome = classifyDelivery(await sender.send(job()));
		assert.deepEqual(outcome, { kind: 'retry', status: 429, reason: '429 Too Many Requests', throttle: true, retryAfterMs: 420_000 });
		assert.equal(nextDelayMs({ policy: retryPolicies.standard, attemptsMade: 2, outcome, random: () => 0.5 }), 420_000);
	});

	it('an HTTP-date Retry-After is read against the clock given to the classifier', async () => {
		const nowMs = Date.UTC(2025, 9, 1, 12, 0, 0);
		receiver.replyAlways({ status: 503, headers: { 'retry-after': new Date(nowMs + 90_000).toUTCString() } });
		const outcome = classifyDelivery(await sender.send(job()), () => nowMs);
		assert.equal(outcome.kind === 'retry' ? outcome.retryAfterMs : undefined, 90_000);
	});
});
