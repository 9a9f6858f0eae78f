import type { SystemEventBodies, UserEventBodies } from '../generated/event-bodies.js';

/**
 * The event catalogue: every event type a webhook can subscribe to, its kind, its body's type and schema, and the
 * `events.*` methods a host raises them with. The body types come from `schemas/events/` (`npm run generate`).
 */

/** Misskey's user webhook event types, in Misskey's order (Misskey `webhookEventTypes`); a Misskey client knows these. */
export const misskeyUserWebhookEventTypes = ['mention', 'unfollow', 'follow', 'followed', 'note', 'reply', 'renote', 'reaction'] as const;

export type MisskeyUserWebhookEventType = typeof misskeyUserWebhookEventTypes[number];

/** User webhook event types: Misskey's, then ours: a note edited or deleted, a follow request received or accepted. */
export const userWebhookEventTypes = [
	...misskeyUserWebhookEventTypes,
	'noteEdited', 'noteDeleted', 'followRequestReceived', 'followRequestAccepted',
] as const;
export type UserWebhookEventType = typeof userWebhookEventTypes[number];

/** Misskey's system webhook event types, in Misskey's order (Misskey `systemWebhookEventTypes`). */
export const misskeySystemWebhookEventTypes = ['abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged'] as const;

/**
 * System webhook event types: Misskey's, then ours, `userWebhookDisabled` (the module paused a user's webhook) and
 * `abuseReportAutoResolved` (a rule of the server, not a moderator, resolved a report).
 */
export const systemWebhookEventTypes = [...misskeySystemWebhookEventTypes, 'userWebhookDisabled', 'abuseReportAutoResolved'] as const;
export type MisskeySystemWebhookEventType = typeof misskeySystemWebhookEventTypes[number];
export type SystemWebhookEventType = typeof systemWebhookEventTypes[number];

export type { SystemEventBodies, UserEventBodies } from '../generated/event-bodies.js';
export type EventBodies = UserEventBodies & SystemEventBodies;

/** Which webhooks an event type goes to: a user's (`webhook`) or the moderators' (`system_webhook`). */
export type WebhookEventKind = 'user' | 'system';

export function isUserWebhookEventType(value: string): value is UserWebhookEventType {
	return (userWebhookEventTypes as readonly string[]).includes(value);
}

/** Whether `value` names a system webhook event. */
export function isSystemWebhookEventType(value: string): value is SystemWebhookEventType {
	return (systemWebhookEventTypes as readonly string[]).includes(value);
}

/** The kind of a known event type; user and system types never share a name. */
export function eventKindOf(type: UserWebhookEventType | SystemWebhookEventType): WebhookEventKind {
	return isSystemWebhookEventType(type) ? 'system' : 'user';
}

/** The name of an event's body schema: the type with a capital, then `WebhookBody` (`note` → `NoteWebhookBody`). */
export function eventBodySchemaName(type: UserWebhookEventType | SystemWebhookEventType): string {
	return `${type[0]!.toUpperCase()}${type.slice(1)}WebhookBody`;
}

/** The `events.*` methods that raise user events; the rules decide which types each one comes to. */
export const userEventMethods = [
	'noteCreated', 'followCreated', 'followDeleted', 'followRequestRejected', 'reactionCreated',
	'noteEdited', 'noteDeleted', 'followRequestCreated', 'followRequestAccepted',
] as const;

/** The `events.*` methods that raise system events: each raises the type of its name (`userWebhookDisabled` is the module's own). */
export const systemEventMethods = [
	'abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged',
	'abuseReportAutoResolved',
] as const satisfies readonly SystemWebhookEventType[];

export type UserEventMethod = typeof userEventMethods[number];
export type SystemEventMethod = typeof systemEventMethods[number];
/** Every event a host can raise, by the name of its `events` method. */
export type WebhookEventName = UserEventMethod | SystemEventMethod;

export function isWebhookEventName(name: string): name is WebhookEventName {
	return (userEventMethods as readonly string[]).includes(name) || (systemEventMethods as readonly string[]).includes(name);
}

export function isSystemEventMethod(name: WebhookEventName): name is SystemEventMethod {
	return (systemEventMethods as readonly string[]).includes(name);
}

// The generated maps name exactly the catalogue's events: a schema added or missing fails to compile here.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const userEventsCovered: SameKeys<keyof UserEventBodies, UserWebhookEventType> = true;
const systemEventsCovered: SameKeys<keyof SystemEventBodies, SystemWebhookEventType> = true;
void userEventsCovered;
void systemEventsCovered;
