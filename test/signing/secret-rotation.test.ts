import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
	rotateSecret,
	SECRET_ROTATION_GRACE_MS,
	secretsInForce,
	standardWebhookHeaders,
	verifySignature,
	type SecretRotationState,
} from '../../src/signing/index.js';
import { newWhsecSecret, noteEnvelopeBody } from './fixture.js';

const hourMs = 60 * 60 * 1000;

describe('secret rotation', () => {
	const oldSecret = newWhsecSecret();
	const newSecret = newWhsecSecret();
	const rotatedAt = new Date('2025-10-01T12:00:00Z');
	/** The stored fields right after the secret changed from oldSecret to newSecret. */
	const rotated: SecretRotationState = rotateSecret({ secret: oldSecret }, newSecret, rotatedAt);

	function signedDelivery(now: Date): { body: string; headers: Record<string, string> } {
		const eventId = randomUUID();
		const body = noteEnvelopeBody(eventId);
		return { body, headers: standardWebhookHeaders({ eventId, attemptAt: new Date(), body, secrets: secretsInForce(rotated, now) }) };
	}

	it('the grace period defaults to 24 hours', () => {
		assert.equal(SECRET_ROTATION_GRACE_MS, 24 * hourMs);
		assert.deepEqual(rotated, { secret: newSecret, previousSecret: oldSecret, previousSecretExpiresAt: new Date(rotatedAt.getTime() + 24 * hourMs) });
	});

	it('during the grace period a delivery carries two signatures, newest first', () => {
		assert.deepEqual(secretsInForce(rotated, new Date(rotatedAt.getTime() + 23 * hourMs)), [newSecret, oldSecret]);
		const { headers } = signedDelivery(new Date(rotatedAt.getTime() + hourMs));
		assert.equal(headers['webhook-signature'].split(' ').length, 2);
	});

	it('during the grace period the standardwebhooks package verifies with the new secret alone, and with the old one alone', () => {
		const { body, headers } = signedDelivery(new Date(rotatedAt.getTime() + hourMs));
		assert.doesNotThrow(() => new Webhook(newSecret).verify(body, headers));
		assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, headers));
	});

	it('after the grace period only the new secret signs, and the old one no longer verifies', () => {
		const expired = new Date(rotatedAt.getTime() + SECRET_ROTATION_GRACE_MS);
		assert.deepEqual(secretsInForce(rotated, expired), [newSecret]);
		const { body, headers } = signedDelivery(expired);
		assert.equal(headers['webhook-signature'].split(' ').length, 1);
		assert.doesNotThrow(() => new Webhook(newSecret).verify(body, headers));
		assert.throws(() => new Webhook(oldSecret).verify(body, headers), /No matching signature/);
	});

	it('our verifier tells which secret matched', () => {
		const eventId = randomUUID();
		const body = noteEnvelopeBody(eventId);
		const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(1_700_000_000_000), body, secrets: [oldSecret] });
		const result = verifySignature({ id: eventId, timestamp: headers['webhook-timestamp'], body, signatureHeader: headers['webhook-signature'], secrets: [newSecret, oldSecret], nowSeconds: 1_700_000_000 });
		assert.deepEqual(result, { ok: true, timestampSeconds: 1_700_000_000, secretIndex: 1 });
	});

	it('a webhook never rotated signs with its one secret', () => {
		assert.deepEqual(secretsInForce({ secret: newSecret }, rotatedAt), [newSecret]);
		assert.deepEqual(secretsInForce({ secret: newSecret, previousSecret: null, previousSecretExpiresAt: null }, rotatedAt), [newSecret]);
	});

	it('empty secrets are never in force', () => {
		assert.deepEqual(secretsInForce({ secret: '' }, rotatedAt), []);
		assert.deepEqual(secretsInForce({ secret: newSecret, previousSecret: '', previousSecretExpiresAt: new Date(rotatedAt.getTime() + hourMs) }, rotatedAt), [newSecret]);
	});

	it('a previous secret without an expiry is not in force', () => {
		assert.deepEqual(secretsInForce({ secret: newSecret, previousSecret: oldSecret, previousSecretExpiresAt: null }, rotatedAt), [newSecret]);
	});

	it('clearing the secret keeps the old one signing through the grace period', () => {
		const cleared = rotateSecret({ secret: oldSecret }, '', rotatedAt);
		assert.deepEqual(secretsInForce(cleared, new Date(rotatedAt.getTime() + hourMs)), [oldSecret]);
		assert.deepEqual(secretsInForce(cleared, new Date(rotatedAt.getTime() + SECRET_ROTATION_GRACE_MS)), []);
	});

	it('setting the same secret again changes nothing', () => {
		assert.deepEqual(rotateSecret(rotated, newSecret, new Date(rotatedAt.getTime() + hourMs)), rotated);
	});

	it('replacing an empty secret leaves no previous secret', () => {
		assert.deepEqual(rotateSecret({ secret: '' }, newSecret, rotatedAt), { secret: newSecret, previousSecret: null, previousSecretExpiresAt: null });
	});

	it('a second change within the grace period keeps the secret replaced last, with a fresh grace period', () => {
		const third = newWhsecSecret();
		const later = new Date(rotatedAt.getTime() + hourMs);
		const again = rotateSecret(rotated, third, later);
		assert.deepEqual(again, { secret: third, previousSecret: newSecret, previousSecretExpiresAt: new Date(later.getTime() + SECRET_ROTATION_GRACE_MS) });
		assert.deepEqual(secretsInForce(again, later), [third, newSecret]);
	});

	it('the grace period can be chosen', () => {
		const short = rotateSecret({ secret: oldSecret }, newSecret, rotatedAt, hourMs);
		assert.deepEqual(secretsInForce(short, new Date(rotatedAt.getTime() + hourMs - 1)), [newSecret, oldSecret]);
		assert.deepEqual(secretsInForce(short, new Date(rotatedAt.getTime() + hourMs)), [newSecret]);
	});
});
