import { createSchemaValidator, type SchemaValidator } from '../schemas.js';
import {
	eventBodySchemaName,
	isSystemWebhookEventType,
	isUserWebhookEventType,
	type SystemEventBodies,
	type SystemWebhookEventType,
	type UserEventBodies,
	type UserWebhookEventType,
} from '../events/catalogue.js';
import type { UserWebhookEnvelope } from '../generated/webhook-envelope.js';
import type { SystemWebhookEnvelope } from '../generated/system-webhook-envelope.js';

/** The body schema's type of each user event (schemas/events/*.json). */
export type UserWebhookBodies = UserEventBodies;

/** The body schema's type of each system event (schemas/events/system/*.json). */
export type SystemWebhookBodies = SystemEventBodies;

/**
 * A user webhook envelope whose body matched its event's schema (schemas/webhook-envelope.json and
 * schemas/events/*.json): narrowing on `type` types `body`.
 */
export type UserWebhookPayload = {
	[Type in UserWebhookEventType]: Omit<UserWebhookEnvelope, 'type' | 'body'> & { type: Type; body: UserWebhookBodies[Type] };
}[UserWebhookEventType];

/**
 * A system webhook envelope whose body matched its event's schema (schemas/system-webhook-envelope.json and
 * schemas/events/system/*.json): narrowing on `type` types `body`.
 */
export type SystemWebhookPayload = {
	[Type in SystemWebhookEventType]: Omit<SystemWebhookEnvelope, 'type' | 'body'> & { type: Type; body: SystemWebhookBodies[Type] };
}[SystemWebhookEventType];

/** Any envelope this module sends; user and system event types never share a name, so `type` tells them apart. */
export type WebhookPayload = UserWebhookPayload | SystemWebhookPayload;

/** Reading a request body as a webhook envelope: the typed payload, or why it is not one. */
export type PayloadReading =
	| { ok: true; payload: WebhookPayload }
	| { ok: false; reason: 'invalid-json' | 'invalid-payload'; detail: string };

let validator: SchemaValidator | undefined;

// Built on first use: receivers that never read a payload do not pay for compiling the schemas.
function schemaValidator(): SchemaValidator {
	validator ??= createSchemaValidator();
	return validator;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the raw body as JSON and validates it against the user or system envelope schema, chosen by its `type`,
 * then its body against the schema of that type (the receiver returns a validated, typed payload, never
 * a bare `JSON.parse` result).
 */
export function readWebhookPayload(rawBody: string | Uint8Array): PayloadReading {
	let value: unknown;
	try {
		value = JSON.parse(typeof rawBody === 'string' ? rawBody : utf8.decode(rawBody));
	} catch {
		return { ok: false, reason: 'invalid-json', detail: 'the body is not UTF-8 JSON' };
	}
	const type = (value as { type?: unknown } | null)?.type;
	if (typeof type === 'string' && isSystemWebhookEventType(type)) {
		return validated(value, 'SystemWebhookEnvelope', type, eventBodySchemaName(type));
	}
	// Anything else is judged as a user envelope, whose schema then names what is wrong (an unknown type included).
	const bodySchema = typeof type === 'string' && isUserWebhookEventType(type) ? eventBodySchemaName(type) : null;
	return validated(value, 'UserWebhookEnvelope', type, bodySchema);
}

function validated(value: unknown, envelopeSchema: string, type: unknown, bodySchema: string | null): PayloadReading {
	const envelope = schemaValidator().validate(envelopeSchema, value);
	if (!envelope.valid) return { ok: false, reason: 'invalid-payload', detail: `envelope: ${envelope.errors}` };
	// A valid envelope has a known type, so its body schema is known.
	if (bodySchema === null) return { ok: false, reason: 'invalid-payload', detail: 'envelope: unknown type' };
	const body = schemaValidator().validate(bodySchema, (value as { body: unknown }).body);
	if (!body.valid) return { ok: false, reason: 'invalid-payload', detail: `${String(type)} body: ${body.errors}` };
	return { ok: true, payload: value as WebhookPayload };
}
