import { randomBytes } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { normalizeOptions, type NormalizedOptions, type WebhookModuleOptions } from '../../src/config/options.js';
import { WebhookStore } from '../../src/store/webhook-store.js';
import { WebhookRegistry } from '../../src/registry/webhook-registry.js';
import { UserWebhookDelivery } from '../../src/delivery/user-webhook-delivery.js';
import { SystemWebhookStore } from '../../src/store/system-webhook-store.js';
import { SystemWebhookDelivery } from '../../src/delivery/system-webhook-delivery.js';
import { createApiPlugin } from '../../src/api/http/plugin.js';
import { createMigratedDataSource } from '../support/database.js';
import { testAllowedPrivateNetworks, testRedisUrl } from '../support/env.js';
import { TestHost } from '../support/test-host.js';
import { quietLogger } from '../support/logger.js';
export { eventually } from '../support/eventually.js';

/** One reply of the API, as a client sees it. */
export interface ApiResponse {
	status: number;
	headers: OutgoingHttpHeaders;
	/** Parsed JSON, or undefined for an empty body. */
	body: any;
	rawBody: string;
}

/** How to send one call: the credential in body `i` (default), as Bearer, both, or a raw payload with its own headers. */
export interface CallOptions {
	token?: string;
	bearer?: string;
	headers?: Record<string, string>;
	/** Sent as is instead of JSON-encoding the params. */
	rawPayload?: string;
}

/** A real Fastify app with the API plugin under `/api`, over a migrated database, Redis, a registry and a delivery worker. */
export interface ApiHarness {
	app: FastifyInstance;
	host: TestHost;
	dataSource: DataSource;
	store: WebhookStore;
	registry: WebhookRegistry;
	delivery: UserWebhookDelivery;
	systemStore: SystemWebhookStore;
	systemDelivery: SystemWebhookDelivery;
	options: NormalizedOptions;
	/** What the app logged at level error, one parsed JSON line each. */
	errorLogs: any[];
	call(name: string, params?: Record<string, unknown>, options?: CallOptions): Promise<ApiResponse>;
	close(): Promise<void>;
}

/**
 * Starts the API the way a host would, on a random server host (so the registry channel and rate-limit keys are this
 * suite's own) and a random queue prefix. The delivery worker runs, so the test endpoint really sends.
 */
export async function startApiHarness(input: { host?: TestHost; options?: Partial<WebhookModuleOptions>; dataSource?: DataSource } = {}): Promise<ApiHarness> {
	const suffix = randomBytes(6).toString('hex');
	const options = normalizeOptions({
		serverUrl: `http://api-${suffix}.test`,
		redisUrl: testRedisUrl,
		queuePrefix: `test-api-${suffix}`,
		allowedPrivateNetworks: testAllowedPrivateNetworks,
		// The loopback receivers stand in for public ones, whose answers the attempt log keeps.
		showPrivateNetworkAnswers: true,
		retryDelaysMs: [10],
		...input.options,
	});
	const host = input.host ?? new TestHost();
	const dataSource = input.dataSource ?? await createMigratedDataSource();
	const store = new WebhookStore(dataSource);
	const systemStore = new SystemWebhookStore(dataSource);
	const registry = await WebhookRegistry.start({ store, systemStore, redisUrl: options.redisUrl, channel: options.serverHost });
	const delivery = new UserWebhookDelivery({ dataSource, options, logger: quietLogger });
	await delivery.startWorker();
	const systemDelivery = new SystemWebhookDelivery({ dataSource, options, logger: quietLogger });
	await systemDelivery.startWorker();
	const errorLogs: any[] = [];
	const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => { errorLogs.push(JSON.parse(line)); } } } });
	await app.register(createApiPlugin({ store, registry, delivery, systemStore, systemDelivery, host, options }), { prefix: '/api' });
	await app.ready();

	return {
		app, host, dataSource, store, registry, delivery, systemStore, systemDelivery, options, errorLogs,
		async call(name, params = {}, callOptions = {}) {
			const body = callOptions.token === undefined ? params : { ...params, i: callOptions.token };
			const headers: Record<string, string> = callOptions.rawPayload === undefined ? { 'content-type': 'application/json' } : {};
			if (callOptions.bearer !== undefined) headers.authorization = `Bearer ${callOptions.bearer}`;
			const response = await app.inject({
				method: 'POST',
				url: `/api/${name}`,
				headers: { ...headers, ...callOptions.headers },
				payload: callOptions.rawPayload ?? JSON.stringify(body),
			});
			return {
				status: response.statusCode,
				headers: response.headers,
				body: response.body === '' ? undefined : JSON.parse(response.body),
				rawBody: response.body,
			};
		},
		async close() {
			await app.close();
			await delivery.close();
			await systemDelivery.close();
			await registry.close();
			if (!input.dataSource) await dataSource.destroy();
			await deleteRedisKeys(options.redisUrl, `${options.queuePrefix}:*`);
		},
	};
}

/** A fresh user with a native token, so a test starts with no webhooks. */
export function newCaller(api: ApiHarness): { userId: string; token: string } {
	const { user, token } = api.host.addUserWithToken();
	return { userId: user.id, token };
}

/** Valid `i/webhooks/create` params; tests break one thing at a time. */
export const validCreateParams = { name: 'my hook', url: 'https://receiver.example/hook', on: ['note', 'follow'] };

/** Creates a webhook through the API and returns the packed reply, failing the test if it is refused. */
export async function createHook(api: ApiHarness, token: string, params: Record<string, unknown> = validCreateParams): Promise<any> {
	const response = await api.call('i/webhooks/create', params, { token });
	if (response.status !== 200) throw new Error(`create failed: ${response.status} ${response.rawBody}`);
	return response.body;
}

/** Removes a suite's queue keys, so repeated runs leave nothing behind in Redis. */
async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
	const redis = new Redis(redisUrl);
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
			if (keys.length > 0) await redis.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		await redis.quit();
	}
}
