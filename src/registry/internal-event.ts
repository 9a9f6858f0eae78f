import { WebhookEntity } from '../store/webhook.entity.js';
import { SystemWebhookEntity } from '../store/system-webhook.entity.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';
import type { WebhookColumns } from '../store/delivery-option-columns.js';
import { isOptionValue, webhookOptionsOf, type WebhookOptionValues } from '../core/webhook-options.js';
import type { WebhookKindName } from '../core/webhook-kind.js';

/** The internal events that change the set of active user webhooks (Misskey `webhookCreated` / `webhookUpdated` / `webhookDeleted`). */
export const webhookInternalEventNames = ['webhookCreated', 'webhookUpdated', 'webhookDeleted'] as const;
export type WebhookInternalEventName = typeof webhookInternalEventNames[number];

/** One webhook change as carried between processes. */
export interface WebhookChangeEvent {
	name: WebhookInternalEventName;
	row: WebhookEntity;
}

/** The internal events that change the set of active system webhooks (Misskey `systemWebhookCreated` / `Updated` / `Deleted`). */
export const systemWebhookInternalEventNames = ['systemWebhookCreated', 'systemWebhookUpdated', 'systemWebhookDeleted'] as const;
export type SystemWebhookInternalEventName = typeof systemWebhookInternalEventNames[number];

/** One system webhook change as carried between processes. */
export interface SystemWebhookChangeEvent {
	name: SystemWebhookInternalEventName;
	row: SystemWebhookEntity;
}

/** Why a message on the channel was not a webhook change; every such message is ignored. */
export type IgnoredMessageReason = 'not-json' | 'other-channel' | 'other-type' | 'malformed-body';

/** What one message on the channel means to the registry: a change to apply, or nothing. */
export type DecodedInternalMessage =
	| { kind: 'webhook-change'; event: WebhookChangeEvent }
	| { kind: 'system-webhook-change'; event: SystemWebhookChangeEvent }
	| { kind: 'ignored'; reason: IgnoredMessageReason };

/**
 * The bytes Misskey's `publishInternalEvent` puts on the `config.host` channel:
 * `{"channel":"internal","message":{"type":<name>,"body":<row>}}`, the row as JSON (dates as ISO strings).
 */
export function encodeWebhookChange(event: WebhookChangeEvent | SystemWebhookChangeEvent): string {
	return JSON.stringify({ channel: 'internal', message: { type: event.name, body: event.row } });
}

/**
 * Reads one message from the channel: a user or system webhook change with its row revived (user rows get
 * `latestSentAt` as a Date, system rows `updatedAt` and `latestSentAt`, as Misskey's `MiSystemWebhook.deserialize`;
 * our added date columns likewise), or why it is ignored.
 */
export function decodeInternalMessage(payload: string): DecodedInternalMessage {
	const unparsed = ignoredUnparsed(payload);
	if (unparsed) return { kind: 'ignored', reason: unparsed };
	let parsed: unknown;
	try {
		parsed = JSON.parse(payload);
	} catch {
		return { kind: 'ignored', reason: 'not-json' };
	}
	if (!isRecord(parsed) || parsed.channel !== 'internal') return { kind: 'ignored', reason: 'other-channel' };
	const message = parsed.message;
	if (!isRecord(message)) return { kind: 'ignored', reason: 'other-type' };
	if (isSystemWebhookInternalEventName(message.type)) {
		const systemRow = reviveSystemWebhookRow(message.body);
		if (!systemRow) return { kind: 'ignored', reason: 'malformed-body' };
		return { kind: 'system-webhook-change', event: { name: message.type, row: systemRow } };
	}
	if (!isWebhookInternalEventName(message.type)) return { kind: 'ignored', reason: 'other-type' };
	const row = reviveWebhookRow(message.body);
	if (!row) return { kind: 'ignored', reason: 'malformed-body' };
	return { kind: 'webhook-change', event: { name: message.type, row } };
}

// Misskey's publish writes `{"channel":<name>,"message":{"type":<type>,...` without whitespace (JSON.stringify, which
// never repeats a key), and the channel carries every timeline's packed notes too: a message whose start names another
// channel, or an internal type that is no webhook change, is ignored without parsing it. Any other start is parsed.
const CHANNEL_START = '{"channel":"';
const TYPE_START = ',"message":{"type":"';

function ignoredUnparsed(payload: string): IgnoredMessageReason | null {
	if (!payload.startsWith(CHANNEL_START)) return null;
	const channel = plainStringAt(payload, CHANNEL_START.length);
	if (channel === null) return null;
	if (channel !== 'internal') return 'other-channel';
	const typeAt = CHANNEL_START.length + channel.length + 1;
	if (!payload.startsWith(TYPE_START, typeAt)) return null;
	const type = plainStringAt(payload, typeAt + TYPE_START.length);
	if (type === null) return null;
	return isWebhookInternalEventName(type) || isSystemWebhookInternalEventName(type) ? null : 'other-type';
}

/** The JSON string whose text starts at `from` (after its opening quote); null when it holds an escape, or does not end. */
function plainStringAt(payload: string, from: number): string | null {
	const end = payload.indexOf('"', from);
	if (end === -1) return null;
	const value = payload.slice(from, end);
	return value.includes('\\') ? null : value;
}

function isWebhookInternalEventName(value: unknown): value is WebhookInternalEventName {
	return typeof value === 'string' && (webhookInternalEventNames as readonly string[]).includes(value);
}

function isSystemWebhookInternalEventName(value: unknown): value is SystemWebhookInternalEventName {
	return typeof value === 'string' && (systemWebhookInternalEventNames as readonly string[]).includes(value);
}

// Checks only what the index relies on; a body with a wrong shape must not corrupt it.
function reviveWebhookRow(body: unknown): WebhookEntity | null {
	if (!isRecord(body)) return null;
	const { id, userId, name, on, url, secret, active, latestSentAt, latestStatus } = body;
	if (typeof id !== 'string' || typeof userId !== 'string' || typeof active !== 'boolean') return null;
	if (!Array.isArray(on) || !on.every((type) => typeof type === 'string')) return null;
	return Object.assign(new WebhookEntity(), {
		id,
		userId,
		name: typeof name === 'string' ? name : '',
		on: on as string[],
		url: typeof url === 'string' ? url : '',
		secret: typeof secret === 'string' ? secret : '',
		active,
		latestSentAt: reviveDate(latestSentAt),
		latestStatus: typeof latestStatus === 'number' ? latestStatus : null,
		...reviveUserPause(body),
		...reviveWebhookColumns(body),
		...reviveOptions('user', body),
	});
}

// As reviveWebhookRow: what the system index relies on (id, isActive, on) must be right; the rest gets safe defaults.
function reviveSystemWebhookRow(body: unknown): SystemWebhookEntity | null {
	if (!isRecord(body)) return null;
	const { id, isActive, updatedAt, latestSentAt, latestStatus, name, on, url, secret } = body;
	if (typeof id !== 'string' || typeof isActive !== 'boolean') return null;
	if (!Array.isArray(on) || !on.every((type) => typeof type === 'string')) return null;
	return Object.assign(new SystemWebhookEntity(), {
		id,
		isActive,
		updatedAt: reviveDate(updatedAt) ?? new Date(0),
		latestSentAt: reviveDate(latestSentAt),
		latestStatus: typeof latestStatus === 'number' ? latestStatus : null,
		name: typeof name === 'string' ? name : '',
		on: on as SystemWebhookEventType[],
		url: typeof url === 'string' ? url : '',
		secret: typeof secret === 'string' ? secret : '',
		...reviveWebhookColumns(body),
		...reviveOptions('system', body),
		pausedBy: body.pausedBy === 'auto' || body.pausedBy === 'gone' ? body.pausedBy : null,
		pausedReason: nullableString(body.pausedReason),
		pausedAt: reviveDate(body.pausedAt),
	});
}

// Our columns, on both kinds: enqueue copies them into the job, so they must survive the trip between processes.
function reviveWebhookColumns(body: Record<string, unknown>): Pick<WebhookColumns, keyof WebhookColumns> {
	return {
		previousSecret: nullableString(body.previousSecret),
		previousSecretExpiresAt: reviveDate(body.previousSecretExpiresAt),
		failingSince: reviveDate(body.failingSince),
	};
}

// A message without an option, or with a value it does not take (a Misskey server's, an older version's), gets the
// option's column default.
function reviveOptions<Kind extends WebhookKindName>(kind: Kind, body: Record<string, unknown>): WebhookOptionValues<Kind> {
	const values: Record<string, unknown> = {};
	for (const option of webhookOptionsOf(kind)) values[option.name] = isOptionValue(option, body[option.name]) ? body[option.name] : option.default;
	return values as WebhookOptionValues<Kind>;
}

// The user pause columns, so a revived row is the row as stored.
function reviveUserPause(body: Record<string, unknown>): Pick<WebhookEntity, 'pausedBy' | 'pausedReason' | 'pausedAt' | 'pausedByUserId'> {
	const { pausedBy } = body;
	return {
		pausedBy: pausedBy === 'moderator' || pausedBy === 'auto' || pausedBy === 'gone' ? pausedBy : null,
		pausedReason: nullableString(body.pausedReason),
		pausedAt: reviveDate(body.pausedAt),
		pausedByUserId: nullableString(body.pausedByUserId),
	};
}

function nullableString(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

// JSON carries dates as ISO strings; anything unreadable becomes null rather than an Invalid Date.
function reviveDate(value: unknown): Date | null {
	if (typeof value !== 'string') return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
