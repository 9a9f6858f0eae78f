// `misskey-webhooks/misskey`: the module wired to Misskey's own services, for a Misskey server (or a fork) to import
// from its Nest provider. docs/misskey.md is the procedure that applies it.
export { createMisskeyHostAdapter, type MisskeyHostAdapterOptions } from './adapter.js';
export { abuseReportEvent, noteCreatedEvent, noteDeletedEvent, raiseSystemWebhookEvent, userRef, type MisskeySystemWebhookEventType } from './events.js';
export { createMisskeyWebhooks, redisUrlOf, type MisskeyWebhooksInput } from './module.js';
export { misskeyWebhookMigrations } from './migrations.js';
export type * from './services.js';
export type { WebhookModule, WebhookEvents } from '../index.js';
