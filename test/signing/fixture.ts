import { randomBytes, randomUUID } from 'node:crypto';
import type { UserWebhookEnvelope } from '../../src/generated/webhook-envelope.js';
import type { SystemWebhookEnvelope } from '../../src/generated/system-webhook-envelope.js';
import { dummyUserLite, dummyUserWebhookBody } from '../../src/api/packing/dummies.js';

/** A Standard Webhooks secret as Svix issues them: `whsec_` + base64 of 32 random bytes. */
export function newWhsecSecret(): string {
	return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A plain Misskey secret, non-ASCII so the key must be its UTF-8 bytes. */
export const plainSecret = 'pässwörd-秘密-42';

/** A valid `note` envelope, serialized once: the exact bytes a delivery sends. */
export function noteEnvelopeBody(eventId: string = randomUUID()): string {
	const envelope: UserWebhookEnvelope = {
		server: 'https://misskey.example',
		hookId: '9x0000hook',
		userId: '9x0000user',
		eventId,
		createdAt: 1_700_000_000_000,
		type: 'note',
		body: { ...dummyUserWebhookBody('note', new Date(1_700_000_000_000)) },
	};
	return JSON.stringify(envelope);
}

/** The verifier's clock in the fixtures: a fixed second, so timestamp tests are exact. */
export const fixedNowSeconds = 1_700_000_000;

/** A valid `userCreated` system envelope, serialized once. */
export function userCreatedEnvelopeBody(eventId: string = randomUUID()): string {
	const envelope: SystemWebhookEnvelope = {
		server: 'https://misskey.example',
		hookId: '9x0000sys1',
		eventId,
		createdAt: 1_700_000_000_000,
		type: 'userCreated',
		body: { ...dummyUserLite(1) },
	};
	return JSON.stringify(envelope);
}
