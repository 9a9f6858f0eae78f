import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { standardWebhookHeaders } from '../../src/signing/index.js';
import { verifyWebhookRequest, type VerifyWebhookRequestInput } from '../../src/receiver/index.js';
import { fixedNowSeconds, newWhsecSecret, noteEnvelopeBody, plainSecret, userCreatedEnvelopeBody } from './fixture.js';

const secret = newWhsecSecret();

/** A delivery as this module sends it by default: signed, with the clear Misskey secret header too. */
function signedRequest(overrides: Partial<VerifyWebhookRequestInput> = {}): VerifyWebhookRequestInput {
	const eventId = randomUUID();
	const rawBody = noteEnvelopeBody(eventId);
	const headers = {
		'Content-Type': 'application/json',
		'X-Misskey-Hook-Secret': secret,
		...standardWebhookHeaders({ eventId, attemptAt: new Date(fixedNowSeconds * 1000), body: rawBody, secrets: [secret] }),
	};
	return { headers, rawBody: Buffer.from(rawBody, 'utf8'), secret, nowSeconds: fixedNowSeconds, ...overrides };
}

/** A delivery from a Misskey server: no signature, the secret in clear. */
function misskeyRequest(overrides: Partial<VerifyWebhookRequestInput> = {}): VerifyWebhookRequestInput {
	return {
		headers: { 'x-misskey-hook-secret': plainSecret, 'content-type': 'application/json' },
		rawBody: noteEnvelopeBody(),
		secret: plainSecret,
		...overrides,
	};
}

/** The request's raw body as text. */
function bodyText(request: VerifyWebhookRequestInput): string {
	return Buffer.from(request.rawBody).toString('utf8');
}

function withBody(request: VerifyWebhookRequestInput, rawBody: string): VerifyWebhookRequestInput {
	return { ...request, rawBody };
}

describe('the receiver helper', () => {
	it('accepts a signed delivery and returns its typed, validated payload', () => {
		const request = signedRequest();
		const result = verifyWebhookRequest(request);
		assert.equal(result.ok, true);
		if (!result.ok) return;
		assert.equal(result.via, 'signature');
		assert.equal(result.payload.type, 'note');
		// Narrowing on type types the body: a note event's body has a note.
		if (result.payload.type === 'note') assert.equal(result.payload.body.note.text, 'This is a dummy note for testing purposes.');
		assert.deepEqual(result.payload, JSON.parse(bodyText(request)));
	});

	it("is exported from the package's public face", async () => {
		const publicFace = await import('../../src/index.js');
		const eventId = randomUUID();
		const rawBody = noteEnvelopeBody(eventId);
		const headers = publicFace.standardWebhookHeaders({ eventId, attemptAt: new Date(), body: rawBody, secrets: [secret] });
		assert.equal(publicFace.verifyWebhookRequest({ headers, rawBody, secret }).ok, true);
	});

	it('accepts a delivery signed by the standardwebhooks package', () => {
		const id = randomUUID();
		const rawBody = noteEnvelopeBody(id);
		const now = new Date();
		const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, now, rawBody) };
		assert.equal(verifyWebhookRequest({ headers, rawBody, secret }).ok, true);
	});

	it('finds the headers whatever their letter case, and in a fetch Headers object', () => {
		const request = signedRequest();
		const upper = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toUpperCase(), value]));
		assert.equal(verifyWebhookRequest({ ...request, headers: upper }).ok, true);
		const fetchHeaders = new Headers(request.headers as Record<string, string>);
		assert.equal(verifyWebhookRequest({ ...request, headers: fetchHeaders }).ok, true);
	});

	it('accepts a Misskey delivery by its X-Misskey-Hook-Secret', () => {
		const result = verifyWebhookRequest(misskeyRequest());
		assert.equal(result.ok && result.via, 'secret-header');
	});

	it('rejects a wrong X-Misskey-Hook-Secret', () => {
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'x-misskey-hook-secret': `${plainSecret}x` } })), { ok: false, reason: 'wrong-secret' });
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'x-misskey-hook-secret': plainSecret.slice(0, -1) } })), { ok: false, reason: 'wrong-secret' });
	});

	it('never accepts an empty X-Misskey-Hook-Secret when a secret is configured, whatever the previous secret', () => {
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'x-misskey-hook-secret': '' } })), { ok: false, reason: 'wrong-secret' });
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'x-misskey-hook-secret': '' }, previousSecret: '' })), { ok: false, reason: 'wrong-secret' });
	});

	it('refuses every request when no secret is configured', () => {
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'x-misskey-hook-secret': '' }, secret: '' })), { ok: false, reason: 'no-secret-configured' });
	});

	it('rejects a request with neither a signature nor the secret header', () => {
		assert.deepEqual(verifyWebhookRequest(misskeyRequest({ headers: { 'content-type': 'application/json' } })), { ok: false, reason: 'missing-credentials' });
	});

	it('accepts the previous secret while the receiver is mid-rotation, by signature and by secret header', () => {
		assert.equal(verifyWebhookRequest(signedRequest({ secret: newWhsecSecret(), previousSecret: secret })).ok, true);
		assert.equal(verifyWebhookRequest(misskeyRequest({ secret: 'the-new-one', previousSecret: plainSecret })).ok, true);
	});

	it('a failing signature is final: the clear secret header does not rescue a replayed request', () => {
		const replayed = signedRequest({ nowSeconds: fixedNowSeconds + 3600 });
		assert.deepEqual(verifyWebhookRequest(replayed), { ok: false, reason: 'too-old' });
	});

	it('rejects a signed request whose body was tampered with', () => {
		const request = signedRequest();
		assert.deepEqual(verifyWebhookRequest(withBody(request, bodyText(request).replace('9x0000hook', '9x0000evil'))), { ok: false, reason: 'no-match' });
	});

	it('rejects a signed request whose webhook-id was swapped', () => {
		const request = signedRequest();
		assert.deepEqual(verifyWebhookRequest({ ...request, headers: { ...request.headers, 'webhook-id': randomUUID() } }), { ok: false, reason: 'no-match' });
	});

	it('rejects a signed request whose timestamp is missing', () => {
		const request = signedRequest();
		const { 'webhook-timestamp': _dropped, ...headers } = request.headers as Record<string, string>;
		assert.deepEqual(verifyWebhookRequest({ ...request, headers }), { ok: false, reason: 'missing-headers' });
	});

	it('rejects an authenticated body that is not JSON', () => {
		assert.deepEqual(verifyWebhookRequest(withBody(misskeyRequest(), '{"server":')), { ok: false, reason: 'invalid-json', detail: 'the body is not UTF-8 JSON' });
		const notUtf8 = verifyWebhookRequest({ ...misskeyRequest(), rawBody: Buffer.from([0x7b, 0xff, 0x7d]) });
		assert.equal(notUtf8.ok === false && notUtf8.reason, 'invalid-json');
	});

	it('rejects an envelope missing a field', () => {
		const envelope = JSON.parse(noteEnvelopeBody()) as Record<string, unknown>;
		delete envelope.eventId;
		const result = verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope)));
		assert.equal(result.ok === false && result.reason, 'invalid-payload');
		assert.match(result.ok === false ? result.detail ?? '' : '', /eventId/);
	});

	it('rejects an envelope of an unknown event type', () => {
		const envelope = { ...JSON.parse(noteEnvelopeBody()) as Record<string, unknown>, type: 'antenna' };
		const result = verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope)));
		assert.equal(result.ok === false && result.reason, 'invalid-payload');
	});

	it('rejects a body that does not match its event type', () => {
		const envelope = { ...JSON.parse(noteEnvelopeBody()) as Record<string, unknown>, type: 'followed' };
		const result = verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope)));
		assert.equal(result.ok === false && result.reason, 'invalid-payload');
		assert.match(result.ok === false ? result.detail ?? '' : '', /^followed body:/);
	});

	it('does not read the body of a request it could not authenticate', () => {
		assert.deepEqual(verifyWebhookRequest(withBody(misskeyRequest({ headers: { 'x-misskey-hook-secret': 'wrong' } }), 'not json')), { ok: false, reason: 'wrong-secret' });
	});

	describe('system webhook deliveries', () => {
		it('accepts a signed system envelope and types its body by event', () => {
			const eventId = randomUUID();
			const rawBody = userCreatedEnvelopeBody(eventId);
			const headers = standardWebhookHeaders({ eventId, attemptAt: new Date(fixedNowSeconds * 1000), body: rawBody, secrets: [secret] });
			const result = verifyWebhookRequest({ headers, rawBody, secret, nowSeconds: fixedNowSeconds });
			assert.equal(result.ok, true);
			if (!result.ok) return;
			assert.equal(result.payload.type, 'userCreated');
			if (result.payload.type === 'userCreated') assert.equal(result.payload.body.username, 'dummy1');
			assert.equal('userId' in result.payload, false);
		});

		it('accepts the empty body of inactiveModeratorsInvitationOnlyChanged', () => {
			const envelope = { ...JSON.parse(userCreatedEnvelopeBody()) as Record<string, unknown>, type: 'inactiveModeratorsInvitationOnlyChanged', body: {} };
			assert.equal(verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope))).ok, true);
		});

		it('rejects a system envelope that carries a userId', () => {
			const envelope = { ...JSON.parse(userCreatedEnvelopeBody()) as Record<string, unknown>, userId: '9x0000user' };
			const result = verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope)));
			assert.equal(result.ok === false && result.reason, 'invalid-payload');
			assert.match(result.ok === false ? result.detail ?? '' : '', /userId/);
		});

		it('rejects a system body that does not match its event type', () => {
			const envelope = { ...JSON.parse(userCreatedEnvelopeBody()) as Record<string, unknown>, type: 'inactiveModeratorsInvitationOnlyChanged' };
			const result = verifyWebhookRequest(withBody(misskeyRequest(), JSON.stringify(envelope)));
			assert.equal(result.ok === false && result.reason, 'invalid-payload');
			assert.match(result.ok === false ? result.detail ?? '' : '', /^inactiveModeratorsInvitationOnlyChanged body:/);
		});
	});
});
