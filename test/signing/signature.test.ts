import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
	signingKeyOf,
	signPayload,
	standardWebhookHeaders,
	verifySignature,
	WEBHOOK_TOLERANCE_SECONDS,
	type VerifySignatureInput,
} from '../../src/signing/index.js';
import { fixedNowSeconds, newWhsecSecret, noteEnvelopeBody, plainSecret } from './fixture.js';

/** The package's verifier for a plain Misskey secret: its UTF-8 bytes as the raw key. */
function packageWebhookForPlainSecret(secret: string): Webhook {
	return new Webhook(new Uint8Array(Buffer.from(secret, 'utf8')), { format: 'raw' });
}

/** A valid signed request at the fixed clock; each test breaks one thing. */
function validRequest(secret: string, overrides: Partial<VerifySignatureInput> = {}): VerifySignatureInput {
	const id = randomUUID();
	const body = noteEnvelopeBody(id);
	const signatureHeader = signPayload({ id, timestampSeconds: fixedNowSeconds, body, secrets: [secret] });
	return { id, timestamp: String(fixedNowSeconds), body, signatureHeader, secrets: [secret], nowSeconds: fixedNowSeconds, ...overrides };
}

describe('Standard Webhooks signatures', () => {
	describe('the key', () => {
		it('a whsec_ secret signs with the base64 after the prefix, decoded', () => {
			const raw = Buffer.from('0123456789abcdef0123456789abcdef');
			assert.deepEqual(signingKeyOf(`whsec_${raw.toString('base64')}`), raw);
		});

		it('any other secret signs with its UTF-8 bytes', () => {
			assert.deepEqual(signingKeyOf(plainSecret), Buffer.from(plainSecret, 'utf8'));
			assert.notDeepEqual(signingKeyOf(plainSecret), Buffer.from(plainSecret, 'latin1'));
		});
	});

	describe('the standardwebhooks package verifies what we sign', () => {
		for (const [name, secret, packageWebhook] of [
			['a whsec_ secret', newWhsecSecret(), (s: string) => new Webhook(s)],
			['a plain secret', plainSecret, packageWebhookForPlainSecret],
			['a plain secret given to the package as base64', plainSecret, (s: string) => new Webhook(Buffer.from(s).toString('base64'))],
		] as const) {
			it(`with ${name}`, () => {
				const eventId = randomUUID();
				const body = noteEnvelopeBody(eventId);
				const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(), body, secrets: [secret] });
				const parsed = packageWebhook(secret).verify(body, headers) as { eventId: string };
				assert.equal(parsed.eventId, eventId);
			});
		}

		it('and rejects it when one byte of the body changed', () => {
			const secret = newWhsecSecret();
			const eventId = randomUUID();
			const body = noteEnvelopeBody(eventId);
			const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(), body, secrets: [secret] });
			assert.throws(() => new Webhook(secret).verify(body.replace('"note"', '"reply"'), headers), /No matching signature/);
		});

		it('and rejects it under another secret', () => {
			const eventId = randomUUID();
			const body = noteEnvelopeBody(eventId);
			const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(), body, secrets: [newWhsecSecret()] });
			assert.throws(() => new Webhook(newWhsecSecret()).verify(body, headers), /No matching signature/);
		});
	});

	describe('our verifier accepts what the standardwebhooks package signs', () => {
		for (const [name, secret, packageWebhook] of [
			['a whsec_ secret', newWhsecSecret(), (s: string) => new Webhook(s)],
			['a plain secret', plainSecret, packageWebhookForPlainSecret],
		] as const) {
			it(`with ${name}`, () => {
				const id = randomUUID();
				const body = noteEnvelopeBody(id);
				const signatureHeader = packageWebhook(secret).sign(id, new Date(fixedNowSeconds * 1000), body);
				const result = verifySignature({ id, timestamp: String(fixedNowSeconds), body, signatureHeader, secrets: [secret], nowSeconds: fixedNowSeconds });
				assert.deepEqual(result, { ok: true, timestampSeconds: fixedNowSeconds, secretIndex: 0 });
			});
		}
	});

	describe('the headers of an attempt', () => {
		it('carry webhook-id = eventId, whole seconds of the attempt and one v1 signature over "id.timestamp.body"', () => {
			const secret = newWhsecSecret();
			const eventId = randomUUID();
			const body = noteEnvelopeBody(eventId);
			const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(1_700_000_123_999), body, secrets: [secret] });
			const expected = createHmac('sha256', signingKeyOf(secret)).update(`${eventId}.1700000123.${body}`).digest('base64');
			assert.deepEqual(headers, { 'webhook-id': eventId, 'webhook-timestamp': '1700000123', 'webhook-signature': `v1,${expected}` });
		});

		it('a retry keeps webhook-id and re-signs with its own timestamp', () => {
			const secret = newWhsecSecret();
			const eventId = randomUUID();
			const body = noteEnvelopeBody(eventId);
			const first = standardWebhookHeaders({ eventId, attemptAt: new Date(1_700_000_000_000), body, secrets: [secret] });
			const retry = standardWebhookHeaders({ eventId, attemptAt: new Date(1_700_000_300_000), body, secrets: [secret] });
			assert.equal(retry['webhook-id'], first['webhook-id']);
			assert.equal(retry['webhook-timestamp'], '1700000300');
			assert.notEqual(retry['webhook-signature'], first['webhook-signature']);
			const result = verifySignature({ id: eventId, timestamp: retry['webhook-timestamp'], body, signatureHeader: retry['webhook-signature'], secrets: [secret], nowSeconds: 1_700_000_300 });
			assert.equal(result.ok, true);
		});

		it('without a secret carry webhook-id and webhook-timestamp but no signature', () => {
			const eventId = randomUUID();
			const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(1_700_000_000_000), body: noteEnvelopeBody(eventId), secrets: [''] });
			assert.deepEqual(headers, { 'webhook-id': eventId, 'webhook-timestamp': '1700000000' });
		});

		it('a whsec_ secret with nothing after the prefix has no key and signs nothing', () => {
			assert.equal(signPayload({ id: randomUUID(), timestampSeconds: fixedNowSeconds, body: '{}', secrets: ['whsec_'] }), '');
		});

		it('an id containing "." is refused, since "." separates the signed parts', () => {
			assert.throws(() => signPayload({ id: 'a.b', timestampSeconds: fixedNowSeconds, body: '{}', secrets: [plainSecret] }), TypeError);
		});
	});

	describe('verifying', () => {
		for (const [name, secret] of [['a whsec_ secret', newWhsecSecret()], ['a plain secret', plainSecret]] as const) {
			it(`a valid request verifies, with ${name}`, () => {
				assert.deepEqual(verifySignature(validRequest(secret)), { ok: true, timestampSeconds: fixedNowSeconds, secretIndex: 0 });
			});
		}

		it('the raw body bytes verify as well as the string they encode', () => {
			const request = validRequest(plainSecret);
			assert.equal(verifySignature({ ...request, body: Buffer.from(request.body as string, 'utf8') }).ok, true);
		});

		it('a re-serialized body fails: only the exact bytes verify', () => {
			const request = validRequest(plainSecret);
			const reserialized = JSON.stringify(JSON.parse(request.body as string), null, 1);
			assert.deepEqual(verifySignature({ ...request, body: reserialized }), { ok: false, reason: 'no-match' });
		});

		it('a tampered body fails', () => {
			const request = validRequest(plainSecret);
			assert.deepEqual(verifySignature({ ...request, body: (request.body as string).replace('9x0000user', '9x0000evil') }), { ok: false, reason: 'no-match' });
		});

		it('a tampered webhook-id fails', () => {
			assert.deepEqual(verifySignature({ ...validRequest(plainSecret), id: randomUUID() }), { ok: false, reason: 'no-match' });
		});

		it('a tampered webhook-timestamp fails, even within the tolerance', () => {
			assert.deepEqual(verifySignature({ ...validRequest(plainSecret), timestamp: String(fixedNowSeconds - 1) }), { ok: false, reason: 'no-match' });
		});

		it('another secret fails', () => {
			assert.deepEqual(verifySignature({ ...validRequest(plainSecret), secrets: [newWhsecSecret()] }), { ok: false, reason: 'no-match' });
		});

		it('a timestamp older than the tolerance fails as too old; at the tolerance it passes', () => {
			const request = validRequest(plainSecret);
			assert.equal(verifySignature({ ...request, nowSeconds: fixedNowSeconds + WEBHOOK_TOLERANCE_SECONDS }).ok, true);
			assert.deepEqual(verifySignature({ ...request, nowSeconds: fixedNowSeconds + WEBHOOK_TOLERANCE_SECONDS + 1 }), { ok: false, reason: 'too-old' });
		});

		it('a timestamp further ahead than the tolerance fails as too new; at the tolerance it passes', () => {
			const request = validRequest(plainSecret);
			assert.equal(verifySignature({ ...request, nowSeconds: fixedNowSeconds - WEBHOOK_TOLERANCE_SECONDS }).ok, true);
			assert.deepEqual(verifySignature({ ...request, nowSeconds: fixedNowSeconds - WEBHOOK_TOLERANCE_SECONDS - 1 }), { ok: false, reason: 'too-new' });
		});

		it('the tolerance can be narrowed', () => {
			assert.deepEqual(verifySignature({ ...validRequest(plainSecret), nowSeconds: fixedNowSeconds + 11, toleranceSeconds: 10 }), { ok: false, reason: 'too-old' });
		});

		it('a timestamp that is not whole seconds fails as a bad timestamp', () => {
			for (const timestamp of [`${fixedNowSeconds}abc`, `${fixedNowSeconds}.5`, `-${fixedNowSeconds}`, ' 1700000000', 'soon']) {
				assert.deepEqual(verifySignature({ ...validRequest(plainSecret), timestamp }), { ok: false, reason: 'bad-timestamp' }, timestamp);
			}
		});

		it('a missing webhook-id, webhook-timestamp or webhook-signature fails as missing headers', () => {
			for (const missing of ['id', 'timestamp', 'signatureHeader'] as const) {
				assert.deepEqual(verifySignature({ ...validRequest(plainSecret), [missing]: undefined }), { ok: false, reason: 'missing-headers' }, missing);
				assert.deepEqual(verifySignature({ ...validRequest(plainSecret), [missing]: '' }), { ok: false, reason: 'missing-headers' }, missing);
			}
		});

		it('unknown versions are skipped and a valid v1 among them verifies', () => {
			const request = validRequest(plainSecret);
			const header = `v1a,${Buffer.alloc(64).toString('base64')} v2,whatever ${request.signatureHeader}`;
			assert.equal(verifySignature({ ...request, signatureHeader: header }).ok, true);
		});

		it('a valid HMAC under an unknown version label does not count', () => {
			const request = validRequest(plainSecret);
			const relabelled = (request.signatureHeader as string).replace(/^v1,/, 'v1a,');
			assert.deepEqual(verifySignature({ ...request, signatureHeader: relabelled }), { ok: false, reason: 'no-match' });
		});

		it('one valid signature among several invalid ones verifies', () => {
			const request = validRequest(plainSecret);
			const forged = `v1,${Buffer.alloc(32).toString('base64')}`;
			assert.equal(verifySignature({ ...request, signatureHeader: `${forged} ${request.signatureHeader} ${forged}` }).ok, true);
		});

		it('a signature made with an empty key never matches', () => {
			const request = validRequest(plainSecret);
			const emptyKeySignature = createHmac('sha256', Buffer.alloc(0)).update(`${request.id}.${request.timestamp}.${request.body as string}`).digest('base64');
			for (const secrets of [[''], ['whsec_'], []]) {
				assert.deepEqual(verifySignature({ ...request, signatureHeader: `v1,${emptyKeySignature}`, secrets }), { ok: false, reason: 'no-match' });
			}
		});

		it('a truncated or padded signature fails', () => {
			const request = validRequest(plainSecret);
			const header = request.signatureHeader as string;
			assert.deepEqual(verifySignature({ ...request, signatureHeader: header.slice(0, -2) }), { ok: false, reason: 'no-match' });
			assert.deepEqual(verifySignature({ ...request, signatureHeader: `${header}AA` }), { ok: false, reason: 'no-match' });
		});
	});
});
