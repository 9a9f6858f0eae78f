import type { DataSource } from 'typeorm';
import type { FastifyPluginAsync } from 'fastify';
import { normalizeOptions, type WebhookModuleOptions } from './config.js';
import type { HostAdapter } from './host.js';
import { WebhookStore } from './store/webhook-store.js';
import { WebhookRegistry } from './registry/webhook-registry.js';
import { UserWebhookDelivery } from './delivery/user-webhook-delivery.js';
import { createHostEvents, type HostEvents } from './events/host-events.js';
import { createApiPlugin } from './api/plugin.js';

export interface CreateWebhookModuleOptions extends WebhookModuleOptions {
	/** The host's initialized DataSource; it must include `webhookEntities` and have run `webhookMigrations`. */
	dataSource: DataSource;
	host: HostAdapter;
}

/** What a host holds once the module is created. */
export interface WebhookModule {
	/** Call these from the host's services when the matching thing happens. */
	events: HostEvents;
	/** Serves `i/webhooks/*`; register it with `{ prefix: '/api' }`. */
	fastifyPlugin: FastifyPluginAsync;
	/** Starts the delivery workers in this process (or run them in another process with their own module). */
	startWorkers(): Promise<void>;
	/** Drops every webhook of a deleted user and tells every process's registry. */
	userDeleted(userId: string): Promise<void>;
	/** Stops workers, closes queues and Redis connections. */
	close(): Promise<void>;
}

/** Wires store, registry, delivery, event rules and API together for one host process. */
export async function createWebhookModule(input: CreateWebhookModuleOptions): Promise<WebhookModule> {
	const options = normalizeOptions(input);
	const store = new WebhookStore(input.dataSource);
	const registry = await WebhookRegistry.start({ store, redisUrl: options.redisUrl, channel: options.serverHost });
	const delivery = new UserWebhookDelivery({ dataSource: input.dataSource, options });
	const events = createHostEvents({ registry, delivery, host: input.host });
	const fastifyPlugin = createApiPlugin({ store, registry, delivery, host: input.host, options });
	return {
		events,
		fastifyPlugin,
		startWorkers: () => delivery.startWorker(),
		async userDeleted(userId) {
			for (const row of await store.deleteByUser(userId)) await registry.announce('webhookDeleted', row);
		},
		async close() {
			await delivery.close();
			await registry.close();
		},
	};
}

export { webhookEntities } from './store/entities.js';
export { webhookMigrations } from '../migrations/index.js';
export { userWebhookEventTypes, type UserWebhookEventType } from './events/catalogue.js';
export type { HostAdapter, Caller, UserRef } from './host.js';
export type { WebhookModuleOptions } from './config.js';
export type { HostEvents } from './events/host-events.js';
export type * from './generated/index.js';
