import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../index.js';
import { createMisskeyHostAdapter, type MisskeyHostAdapterOptions } from './adapter.js';
import type { Config, MisskeyServices, RedisOptionsSource } from './services.js';

/** Misskey's job-queue Redis (`config.redisForJobQueue`, which falls back to `config.redis`) as a URL for the module. */
export function redisUrlOf(redis: RedisOptionsSource): string {
	const url = new URL('redis://localhost');
	// IPv6 literals need brackets in a URL.
	url.hostname = redis.host.includes(':') && !redis.host.startsWith('[') ? `[${redis.host}]` : redis.host;
	url.port = String(redis.port);
	if (redis.pass) url.password = redis.pass;
	url.pathname = `/${redis.db ?? 0}`;
	return url.toString();
}

export interface MisskeyWebhooksInput {
	config: Config;
	/** Misskey's own DataSource (`DI.db`), whose `entities` include `webhookEntities`. */
	dataSource: DataSource;
	services: MisskeyServices;
	adapterOptions?: MisskeyHostAdapterOptions;
}

/**
 * Creates the module for one of Misskey's Nest application contexts. Every context that runs NoteCreateService and the
 * other event sources needs one (the web one for API actions, the queue one for inbox jobs); only the queue context
 * calls `startWorkers()`, so `--only-server` delivers nothing itself and `--only-queue` serves no API.
 */
export function createMisskeyWebhooks(input: MisskeyWebhooksInput): Promise<WebhookModule> {
	const { config, dataSource, services } = input;
	return createWebhookModule({
		dataSource,
		host: createMisskeyHostAdapter(services, input.adapterOptions),
		serverUrl: config.url,
		redisUrl: redisUrlOf(config.redisForJobQueue),
		// Misskey's own exceptions to its private-address guard apply to webhook targets too.
		allowedPrivateNetworks: config.allowedPrivateNetworks ?? [],
		// Misskey's queues are BullMQ under `queue:<name>` (with the configured prefix); the module's are Bull under its
		// own prefix, so the two never share keys, even during the switch-over.
		queuePrefix: config.redisForJobQueue.prefix ? `${config.redisForJobQueue.prefix}:webhooks` : 'webhooks',
	});
}
