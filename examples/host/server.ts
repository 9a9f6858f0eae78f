import Fastify from 'fastify';
import { isIPv6 } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createWebhookModule, type WebhookModule } from '../../src/index.js';
import { createHostAdapter } from './adapter.js';
import { createHostApiPlugin } from './api/plugin.js';
import type { HostConfig } from './config.js';
import { openDatabase } from './database.js';
import { hostEndpoints } from './endpoints/index.js';
import { EventRelay } from './event-relay.js';
import { identiconSvg } from './identicon.js';
import { createMiAuthPlugin } from './miauth.js';
import { createHostServices, type HostServices } from './services/index.js';

/** Where the host writes what an operator should see. */
export interface HostLogger {
	info(message: string): void;
	error(message: string, error: unknown): void;
}

/** A started host: the address it listens on, and how to stop it. */
export interface RunningHost {
	/** `http://HOST:PORT` as bound (the real port when PORT is 0). */
	listenUrl: string;
	/** Stops taking requests, then closes the module and the database. */
	close(): Promise<void>;
}

/** The recovery timings the operator set; the rest keep the module's defaults. */
export function recoveryOptionsOf(config: HostConfig): { reconcileIntervalMs?: number; jobLockDurationMs?: number; stalledCheckIntervalMs?: number } {
	return {
		...(config.reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs: config.reconcileIntervalMs }),
		...(config.jobLockDurationMs === undefined ? {} : { jobLockDurationMs: config.jobLockDurationMs }),
		...(config.stalledCheckIntervalMs === undefined ? {} : { stalledCheckIntervalMs: config.stalledCheckIntervalMs }),
	};
}

/** The host's database, services and webhook module, wired; `close` undoes them in reverse order. */
export interface HostCore {
	dataSource: DataSource;
	services: HostServices;
	webhooks: WebhookModule;
	/** JSON lines at LOG_LEVEL: the host's HTTP server and the webhook module write to the same stream. */
	log: Logger;
	/** The host's own process metrics and the module's, on one registry: one scrape gets both. */
	metricsRegistry: Registry;
	close(): Promise<void>;
}

/** Runs every migration and wires the webhook module to the host's services; both the web and the worker process start here. */
export async function startHostCore(config: HostConfig, logger: HostLogger): Promise<HostCore & { undo: Array<() => Promise<void>> }> {
	// Undone in reverse order if a later step fails, so a failed start leaves no connection open.
	const undo: Array<() => Promise<void>> = [];
	const close = async () => {
		for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => logger.error('cleanup failed', error));
	};
	try {
		const dataSource = await openDatabase(config.databaseUrl);
		undo.push(() => dataSource.destroy());

		const relay = new EventRelay();
		const services = createHostServices(dataSource, relay, config.serverUrl);
		const log = pino({ level: config.logLevel });
		const metricsRegistry = new Registry();
		collectDefaultMetrics({ register: metricsRegistry });
		const webhooks = await createWebhookModule({
			dataSource,
			host: createHostAdapter(services),
			serverUrl: config.serverUrl,
			redisUrl: config.redisUrl,
			...(config.retryDelaysMs ? { retryDelaysMs: config.retryDelaysMs } : {}),
			allowedPrivateNetworks: config.allowedPrivateNetworks,
			showPrivateNetworkAnswers: config.showPrivateNetworkAnswers,
			logger: log,
			metricsRegistry,
			...recoveryOptionsOf(config),
		});
		undo.push(() => webhooks.close());
		relay.connect(webhooks.events);
		return { dataSource, services, webhooks, log, metricsRegistry, close, undo };
	} catch (error) {
		await close();
		throw error;
	}
}

/** Runs every migration, wires the webhook module to the host's services, and serves the API (with the workers unless WEBHOOK_WORKERS=off). */
export async function startHost(config: HostConfig, logger: HostLogger): Promise<RunningHost> {
	const core = await startHostCore(config, logger);
	const { services, webhooks, metricsRegistry, undo } = core;
	try {
		const fastify = Fastify({ loggerInstance: core.log });
		undo.push(() => fastify.close());
		await fastify.register(createHostApiPlugin({ endpoints: hostEndpoints, services, logError: logger.error }), { prefix: '/api' });
		await fastify.register(webhooks.fastifyPlugin, { prefix: '/api' });
		await fastify.register(webhooks.adminPagePlugin, { prefix: '/admin/webhooks' });
		await fastify.register(webhooks.userPagePlugin, { prefix: '/webhooks' });
		await fastify.register(createMiAuthPlugin(services));
		fastify.get<{ Params: { seed: string } }>('/identicon/:seed', async (request, reply) => {
			return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(identiconSvg(request.params.seed));
		});

		// Scrapers and probes call these every few seconds: their requests are logged only when something goes wrong.
		fastify.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
			return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
		});
		// 200 when PostgreSQL and Redis answer, the queues keep up and some worker (here or in another process) takes
		// their jobs, 503 otherwise; the report says which.
		fastify.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
			const report = await webhooks.health();
			return reply.code(report.ok ? 200 : 503).header('cache-control', 'no-store').send(report);
		});

		if (config.workers) await webhooks.startWorkers();
		await fastify.listen({ port: config.port, host: config.host });
		const { port } = fastify.server.address() as AddressInfo;
		const urlHost = isIPv6(config.host) ? `[${config.host}]` : config.host;

		return {
			listenUrl: `http://${urlHost}:${port}`,
			close: core.close,
		};
	} catch (error) {
		await core.close();
		throw error;
	}
}

/** A worker process (`npm run worker`): the module's delivery workers, reconciler and intake relay, no HTTP server. */
export async function startWorkerHost(config: HostConfig, logger: HostLogger): Promise<{ close(): Promise<void> }> {
	const core = await startHostCore(config, logger);
	try {
		await core.webhooks.startWorkers();
		return { close: core.close };
	} catch (error) {
		await core.close();
		throw error;
	}
}
