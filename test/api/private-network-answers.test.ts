import assert from 'node:assert/strict';
import { createSchemaValidator } from '../../src/schemas.js';
import { TestReceiver } from '../support/receiver.js';
import { createHook, eventually, newCaller, startApiHarness, type ApiHarness } from './api-harness.js';

const schemas = createSchemaValidator();
const INTERNAL_ANSWER = 'internal-service-says: db=10.0.0.5 token=abc';

describe('answers of receivers reached through the private-network allowlist', () => {
	let receiver: TestReceiver;

	before(async () => {
		receiver = await new TestReceiver().start();
		receiver.replyAlways(() => ({ status: 503, body: INTERNAL_ANSWER }));
	});
	after(async () => {
		await receiver.close();
	});

	/** Sends one test event to a loopback receiver (allowlisted) and gives the delivery as its owner sees it. */
	async function deliveryShownToOwner(api: ApiHarness): Promise<any> {
		const { token } = newCaller(api);
		const { id } = await createHook(api, token, { name: 'internal', url: receiver.url('/internal'), on: ['note'] });
		const test = await api.call('i/webhooks/test', { webhookId: id, type: 'note' }, { token });
		assert.equal(test.status < 300, true, test.rawBody);
		const rows = await eventually(() => api.delivery.deliveries.listByWebhook('user', id, { limit: 10 }), (found) => found.length > 0 && found[0].status !== 'pending');
		await api.delivery.flushRecords();
		const shown = await api.call('i/webhooks/deliveries/show', { deliveryId: rows[0].id }, { token });
		assert.equal(shown.status, 200, shown.rawBody);
		schemas.assert('WebhookDeliveryDetail', shown.body);
		return shown;
	}

	it('by default the attempt log shows their status and timing, never their body', async () => {
		const api = await startApiHarness({ options: { showPrivateNetworkAnswers: false } });
		try {
			const shown = await deliveryShownToOwner(api);
			const [attempt] = shown.body.attempts;
			assert.equal(attempt.status, 503);
			assert.equal(typeof attempt.durationMs, 'number');
			assert.equal(attempt.responseBody, null);
			assert.ok(!shown.rawBody.includes('internal-service-says'), 'no part of the internal answer reaches the owner');
		} finally {
			await api.close();
		}
	});

	it('showPrivateNetworkAnswers: true keeps them, as for a public receiver', async () => {
		const api = await startApiHarness({ options: { showPrivateNetworkAnswers: true } });
		try {
			const shown = await deliveryShownToOwner(api);
			assert.equal(shown.body.attempts[0].status, 503);
			assert.equal(shown.body.attempts[0].responseBody, INTERNAL_ANSWER);
		} finally {
			await api.close();
		}
	});
});
