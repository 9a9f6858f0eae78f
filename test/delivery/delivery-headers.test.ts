import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { deliveryHeaders, jobSecretsInForce, webhookHeaders } from '../../src/delivery/sender/envelope.js';
import { deliveryExtrasOf } from '../../src/delivery/job/delivery-options.js';
import type { UserWebhookDeliverJobData } from '../../src/delivery/job/job-data.js';
import { verifySignature } from '../../src/signing/index.js';

const attemptAt = new Date('2025-09-08T12:00:00.750Z');
const attemptSeconds = 1_757_332_800;

/** A user job as enqueue builds it; each test changes only what it is about. */
function job(overrides: Partial<UserWebhookDeliverJobData> = {}): UserWebhookDeliverJobData {
	return {
		type: 'note', content: { note: { id: 'n1' } }, webhookId: 'hook1', userId: 'user1', to: 'https://receiver.example/hook',
		secret: 'current', createdAt: attemptAt.getTime() - 1000, eventId: randomUUID(), ...overrides,
	};
}

/** Which of `secrets` the attempt's signature verifies under, by index. */
function verifiedBy(headers: Record<string, string>, body: string, secrets: string[]): number[] {
	return secrets.flatMap((secret, index) => verifySignature({
		id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], body, signatureHeader: headers['webhook-signature'],
		secrets: [secret], nowSeconds: attemptSeconds,
	}).ok ? [index] : []);
}

describe('delivery headers', () => {
	describe('webhookHeaders', () => {
		it('sends X-Misskey-Hook-Secret when the job says nothing (a Misskey job) or sendSecretHeader: true', () => {
			assert.equal(webhookHeaders(job(), 'misskey.example')['X-Misskey-Hook-Secret'], 'current');
			assert.equal(webhookHeaders(job({ sendSecretHeader: true }), 'misskey.example')['X-Misskey-Hook-Secret'], 'current');
		});

		it('leaves it out, and only it, with sendSecretHeader: false', () => {
			const headers = webhookHeaders(job({ sendSecretHeader: false }), 'misskey.example');
			assert.deepEqual(headers, { 'User-Agent': 'Misskey-Hooks', 'X-Misskey-Host': 'misskey.example', 'X-Misskey-Hook-Id': 'hook1', 'Content-Type': 'application/json' });
		});
	});

	describe('deliveryHeaders', () => {
		it('webhook-id is the eventId, webhook-timestamp the attempt\'s whole seconds, and the signature covers the body', () => {
			const data = job();
			const headers = deliveryHeaders(data, { serverHost: 'misskey.example', body: '{"a":1}', attemptAt });
			assert.equal(headers['webhook-id'], data.eventId);
			assert.equal(headers['webhook-timestamp'], String(attemptSeconds));
			assert.deepEqual(verifiedBy(headers, '{"a":1}', ['current']), [0]);
			assert.deepEqual(verifiedBy(headers, '{"a":2}', ['current']), [], 'another body does not verify');
		});

		it('signs with both secrets while the replaced one is in force, with the current one alone once it expired', () => {
			const during = deliveryHeaders(job({ previousSecret: 'old', previousSecretExpiresAt: attemptAt.getTime() + 1 }), { serverHost: 'h', body: 'b', attemptAt });
			assert.deepEqual(verifiedBy(during, 'b', ['current', 'old']), [0, 1]);
			const after = deliveryHeaders(job({ previousSecret: 'old', previousSecretExpiresAt: attemptAt.getTime() }), { serverHost: 'h', body: 'b', attemptAt });
			assert.deepEqual(verifiedBy(after, 'b', ['current', 'old']), [0]);
		});

		it('an empty secret gives no webhook-signature, but a replaced secret still in force signs alone', () => {
			assert.equal(deliveryHeaders(job({ secret: '' }), { serverHost: 'h', body: 'b', attemptAt })['webhook-signature'], undefined);
			const cleared = deliveryHeaders(job({ secret: '', previousSecret: 'old', previousSecretExpiresAt: attemptAt.getTime() + 1 }), { serverHost: 'h', body: 'b', attemptAt });
			assert.deepEqual(verifiedBy(cleared, 'b', ['old']), [0]);
		});

		it('jobSecretsInForce lists the current secret first, then the replaced one', () => {
			assert.deepEqual(jobSecretsInForce(job({ previousSecret: 'old', previousSecretExpiresAt: attemptAt.getTime() + 1 }), attemptAt), ['current', 'old']);
			assert.deepEqual(jobSecretsInForce(job({ previousSecret: null, previousSecretExpiresAt: null }), attemptAt), ['current']);
		});
	});

	describe('deliveryExtrasOf (what enqueue copies from the webhook)', () => {
		const now = attemptAt.getTime();
		const rotating = { secret: 'current', previousSecret: 'old', previousSecretExpiresAt: new Date(now + 60_000) };

		it('copies the retry preset, the clear-header choice and a replaced secret still in force', () => {
			assert.deepEqual(deliveryExtrasOf({ ...rotating, retryPolicy: 'misskey', sendSecretHeader: false }, 'current', now), {
				retryPolicy: 'misskey', sendSecretHeader: false, previousSecret: 'old', previousSecretExpiresAt: now + 60_000,
			});
		});

		it('copies nothing for a target holding only Misskey\'s fields, so the job stays Misskey-shaped', () => {
			assert.deepEqual(deliveryExtrasOf({ secret: 'current' }, 'current', now), {});
		});

		it('leaves out a replaced secret already expired at enqueue', () => {
			assert.deepEqual(deliveryExtrasOf({ ...rotating, previousSecretExpiresAt: new Date(now) }, 'current', now), {});
		});

		it('leaves out the replaced secret when the job is sent with another secret (a test send\'s override), and marks the job so', () => {
			// The mark keeps the worker from swapping the override for the webhook's current secret.
			assert.deepEqual(deliveryExtrasOf(rotating, 'override', now), { secretOverride: true });
		});
	});
});
