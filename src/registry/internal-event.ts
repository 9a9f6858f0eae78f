import { WebhookEntity } from '../store/webhook.entity.js';
import type { UserWebhookEventType } from '../events/catalogue.js';

/** The internal events that change the set of active user webhooks (Misskey `webhookCreated` / `webhookUpdated` / `webhookDeleted`). */
export const webhookInternalEventNames = ['webhookCreated', 'webhookUpdated', 'webhookDeleted'] as const;
export type WebhookInternalEventName = typeof webhookInternalEventNames[number];

/** One webhook change as carried between processes. */
export interface WebhookChangeEvent {
	name: WebhookInternalEventName;
	row: WebhookEntity;
}

/** Why a message on the channel was not a webhook change; every such message is ignored. */
export type IgnoredMessageReason = 'not-json' | 'other-channel' | 'other-type' | 'malformed-body';

/** What one message on the channel means to the registry: a change to apply, or nothing. */
export type DecodedInternalMessage =
	| { kind: 'webhook-change'; event: WebhookChangeEvent }
	| { kind: 'ignored'; reason: IgnoredMessageReason };

/**
 * The bytes Misskey's `publishInternalEvent` puts on the `config.host` channel (spec §10):
 * `{"channel":"internal","message":{"type":<name>,"body":<row>}}`, the row as JSON (dates as ISO strings).
 */
export function encodeWebhookChange(event: WebhookChangeEvent): string {
	return JSON.stringify({ channel: 'internal', message: { type: event.name, body: event.row } });
}

/** Reads one message from the channel: a webhook change with its row revived (`latestSentAt` → Date, spec §10), or why it is ignored. */
export function decodeInternalMessage(payload: string): DecodedInternalMessage {
	let parsed: unknown;
	try {
		parsed = JSON.parse(payload);
	} catch {
		return { kind: 'ignored', reason: 'not-json' };
	}
	if (!isRecord(parsed) || parsed.channel !== 'internal') return { kind: 'ignored', reason: 'other-channel' };
	const message = parsed.message;
	if (!isRecord(message) || !isWebhookInternalEventName(message.type)) return { kind: 'ignored', reason: 'other-type' };
	const row = reviveWebhookRow(message.body);
	if (!row) return { kind: 'ignored', reason: 'malformed-body' };
	return { kind: 'webhook-change', event: { name: message.type, row } };
}

function isWebhookInternalEventName(value: unknown): value is WebhookInternalEventName {
	return typeof value === 'string' && (webhookInternalEventNames as readonly string[]).includes(value);
}

// Checks only what the index relies on; a body with a wrong shape must not corrupt it.
function reviveWebhookRow(body: unknown): WebhookEntity | null {
	if (!isRecord(body)) return null;
	const { id, userId, name, on, url, secret, active, latestSentAt, latestStatus } = body;
	if (typeof id !== 'string' || typeof userId !== 'string' || typeof active !== 'boolean') return null;
	if (!Array.isArray(on) || !on.every((type) => typeof type === 'string')) return null;
	const sentAt = typeof latestSentAt === 'string' ? new Date(latestSentAt) : null;
	return Object.assign(new WebhookEntity(), {
		id,
		userId,
		name: typeof name === 'string' ? name : '',
		on: on as UserWebhookEventType[],
		url: typeof url === 'string' ? url : '',
		secret: typeof secret === 'string' ? secret : '',
		active,
		latestSentAt: sentAt && !Number.isNaN(sentAt.getTime()) ? sentAt : null,
		latestStatus: typeof latestStatus === 'number' ? latestStatus : null,
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
