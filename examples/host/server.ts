import Fastify from 'fastify';
import { isIPv6 } from 'node:net';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createWebhookModule } from '../../src/index.js';
import { createHostAdapter } from './adapter.js';
import { createHostApiPlugin } from './api/plugin.js';
import type { HostConfig } from './config.js';
import { openDatabase } from './database.js';
import { hostEndpoints } from './endpoints/index.js';
import { EventRelay } from './event-relay.js';
import { identiconSvg } from './identicon.js';
import { createHostServices } from './services/index.js';

/** Where the host writes what an operator should see. */
export interface HostLogger {
	info(message: string): void;
	error(message: string, error: unknown): void;
}

/** A started host: the address it listens on, and how to stop it. */
export interface RunningHost {
	/** `http://HOST:PORT` as bound (the real port when PORT is 0). */
	listenUrl: string;
	/** Stops taking requests, lets raised events reach the module, then closes the module and the database. */
	close(): Promise<void>;
}

/** Runs every migration, wires the webhook module to the host's services, and serves the API. */
export async function startHost(config: HostConfig, logger: HostLogger): Promise<RunningHost> {
	// Undone in reverse order if a later step fails, so a failed start leaves no connection open.
	const undo: Array<() => Promise<void>> = [];
	const unwind = async () => {
		for (const step of undo.reverse()) await step().catch((error: unknown) => logger.error('cleanup failed', error));
	};

	try {
		const dataSource = await openDatabase(config.databaseUrl);
		undo.push(() => dataSource.destroy());

		const relay = new EventRelay(logger.error);
		const services = createHostServices(dataSource, relay, config.serverUrl);
		// JSON lines at LOG_LEVEL; the webhook module logs through the same logger, so one stream holds both.
		const fastify = Fastify({ logger: { level: config.logLevel } });
		// The host's own metrics (the process's) and the module's, on one registry: one scrape gets both.
		const metricsRegistry = new Registry();
		collectDefaultMetrics({ register: metricsRegistry });
		const webhooks = await createWebhookModule({
			dataSource,
			host: createHostAdapter(services),
			serverUrl: config.serverUrl,
			redisUrl: config.redisUrl,
			...(config.retryDelaysMs ? { retryDelaysMs: config.retryDelaysMs } : {}),
			allowedPrivateNetworks: config.allowedPrivateNetworks,
			logger: fastify.log,
			metricsRegistry,
		});
		undo.push(async () => {
			await relay.drain();
			await webhooks.close();
		});
		relay.connect(webhooks.events);

		undo.push(() => fastify.close());
		await fastify.register(createHostApiPlugin({ endpoints: hostEndpoints, services, logError: logger.error }), { prefix: '/api' });
		await fastify.register(webhooks.fastifyPlugin, { prefix: '/api' });
		await fastify.register(webhooks.adminPagePlugin, { prefix: '/admin/webhooks' });
		fastify.get<{ Params: { seed: string } }>('/identicon/:seed', async (request, reply) => {
			return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(identiconSvg(request.params.seed));
		});

		// Scrapers and probes call these every few seconds: their requests are logged only when something goes wrong.
		fastify.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
			return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
		});
		// 200 when PostgreSQL and Redis answer and the queues keep up, 503 otherwise; the report says which.
		fastify.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
			const report = await webhooks.health();
			return reply.code(report.ok ? 200 : 503).header('cache-control', 'no-store').send(report);
		});

		await webhooks.startWorkers();
		await fastify.listen({ port: config.port, host: config.host });
		const { port } = fastify.server.address() as AddressInfo;
		const urlHost = isIPv6(config.host) ? `[${config.host}]` : config.host;

		return {
			listenUrl: `http://${urlHost}:${port}`,
			close: unwind,
		};
	} catch (error) {
		await unwind();
		throw error;
	}
}
