import assert from 'node:assert/strict';
import { normalizeOptions, type WebhookModuleOptions } from '../../src/config/options.js';
import { createWebhookDeliverQueue } from '../../src/delivery/queue/queue.js';
import { testRedisUrl } from '../support/env.js';

const base: WebhookModuleOptions = { serverUrl: 'https://misskey.example', redisUrl: 'redis://127.0.0.1:6379' };

// Each row: the option, a bad value, and what the TypeError must say. Every option the module reads has rows here.
const badValues: ReadonlyArray<[keyof WebhookModuleOptions, unknown, RegExp]> = [
	['serverUrl', undefined, /^serverUrl must be a http or https URL, got undefined$/],
	['serverUrl', 'misskey.example', /^serverUrl must be a http or https URL, got "misskey.example"$/],
	['serverUrl', 'ftp://misskey.example', /^serverUrl must be a http or https URL/],
	['serverUrl', 42, /^serverUrl must be a http or https URL, got 42$/],
	['redisUrl', 'not a url', /^redisUrl must be a redis or rediss URL, got "not a url"$/],
	['redisUrl', 'localhost:6379', /^redisUrl must be a redis or rediss URL/],
	['redisUrl', 'http://127.0.0.1:6379', /^redisUrl must be a redis or rediss URL/],
	['retryDelaysMs', 1000, /^retryDelaysMs must be an array, got 1000$/],
	['retryDelaysMs', [1000, -1], /^retryDelaysMs\[1\] must be a number of ms ≥ 0, got -1$/],
	['retryDelaysMs', [Number.NaN], /^retryDelaysMs\[0\] must be a number of ms ≥ 0, got NaN$/],
	['retryDelaysMs', ['60000'], /^retryDelaysMs\[0\] must be a number of ms ≥ 0, got "60000"$/],
	['defaultRetryPolicy', 'svix', /^defaultRetryPolicy must be one of 'misskey', 'standard', got "svix"$/],
	['allowedPrivateNetworks', '10.0.0.0/8', /^allowedPrivateNetworks must be an array, got "10.0.0.0\/8"$/],
	['allowedPrivateNetworks', [42], /^allowedPrivateNetworks\[0\] must be a network in CIDR notation, got 42$/],
	['allowedPrivateNetworks', ['nope'], /^allowedPrivateNetworks: /],
	['requestTimeoutMs', Number.NaN, /^requestTimeoutMs must be a number of ms from 1 to 60000, got NaN$/],
	['requestTimeoutMs', 0, /^requestTimeoutMs must be a number of ms from 1 to 60000, got 0$/],
	['requestTimeoutMs', 600_000, /^requestTimeoutMs must be a number of ms from 1 to 60000, got 600000$/],
	['requestTimeoutMs', '5000', /^requestTimeoutMs must be a number of ms/],
	['workerConcurrency', -5, /^workerConcurrency must be an integer from 1 to 10000, got -5$/],
	['workerConcurrency', 0, /^workerConcurrency must be an integer from 1 to 10000, got 0$/],
	['workerConcurrency', 2.5, /^workerConcurrency must be an integer from 1 to 10000, got 2.5$/],
	['workerConcurrency', Number.POSITIVE_INFINITY, /^workerConcurrency must be an integer/],
	['concurrencyPerTargetHost', 0, /^concurrencyPerTargetHost must be an integer from 1 to 10000, got 0$/],
	['concurrencyPerTargetHost', null, /^concurrencyPerTargetHost must be an integer from 1 to 10000, got null$/],
	['maxConcurrencyPerTargetHost', 4, /^maxConcurrencyPerTargetHost must be an integer from 8 to 10000, got 4$/],
	['maxConcurrencyPerTargetHost', 1.5, /^maxConcurrencyPerTargetHost must be an integer from 8 to 10000, got 1.5$/],
	['queuePrefix', '', /^queuePrefix must be a non-empty string without spaces or braces, got ""$/],
	['queuePrefix', 'my queue', /^queuePrefix must be a non-empty string without spaces or braces/],
	['queuePrefix', '{bull}', /^queuePrefix must be a non-empty string without spaces or braces/],
	['rateLimit', 'yes', /^rateLimit must be true or false, got "yes"$/],
	['rateLimit', 1, /^rateLimit must be true or false, got 1$/],
	['showPrivateNetworkAnswers', 'no', /^showPrivateNetworkAnswers must be true or false, got "no"$/],
	['autoDisableAfterMs', -1, /^autoDisableAfterMs must be a number of ms ≥ 0, got -1$/],
	['autoDisableAfterMs', Number.POSITIVE_INFINITY, /^autoDisableAfterMs must be a number of ms ≥ 0, got Infinity$/],
	['secretRotationGraceMs', Number.NaN, /^secretRotationGraceMs must be a number of ms ≥ 0, got NaN$/],
	['reconcileIntervalMs', 0, /^reconcileIntervalMs must be a number of ms ≥ 1, got 0$/],
	['reconcileSettleMs', -1, /^reconcileSettleMs must be a number of ms ≥ 0, got -1$/],
	['reconcileBatchSize', 0.5, /^reconcileBatchSize must be an integer from 1 to 100000, got 0.5$/],
	['reconcileBatchSize', 1_000_000, /^reconcileBatchSize must be an integer from 1 to 100000, got 1000000$/],
	['deliveryRetentionMs', {}, /^deliveryRetentionMs must be a number of ms ≥ 1, got a object$/],
	['jobLockDurationMs', 500, /^jobLockDurationMs must be a number of ms from 1000 to 3600000, got 500$/],
	['jobLockDurationMs', '15000', /^jobLockDurationMs must be a number of ms from 1000 to 3600000, got "15000"$/],
	['stalledCheckIntervalMs', 0, /^stalledCheckIntervalMs must be a number of ms from 1000 to 3600000, got 0$/],
	['stalledCheckIntervalMs', 7_200_000, /^stalledCheckIntervalMs must be a number of ms from 1000 to 3600000, got 7200000$/],
	['intakePollIntervalMs', 5, /^intakePollIntervalMs must be a number of ms from 10 to 3600000, got 5$/],
	['intakeBatchSize', 0, /^intakeBatchSize must be an integer from 1 to 10000, got 0$/],
	['intakeBatchSize', 1.5, /^intakeBatchSize must be an integer from 1 to 10000, got 1.5$/],
	['unattendedQueueAfterMs', 1000, /^unattendedQueueAfterMs must be a number of ms from 2000 to 86400000, got 1000$/],
	['unattendedQueueAfterMs', '2m', /^unattendedQueueAfterMs must be a number of ms from 2000 to 86400000, got "2m"$/],
	['unattendedQueueAfterMs', 90_000_000, /^unattendedQueueAfterMs must be a number of ms from 2000 to 86400000, got 90000000$/],
	['pruneIntervalMs', Number.NaN, /^pruneIntervalMs must be a number of ms ≥ 1, got NaN$/],
	['circuitBreakerThreshold', 0, /^circuitBreakerThreshold must be an integer from 1 to 1000, got 0$/],
	['circuitBreakerThreshold', 2.5, /^circuitBreakerThreshold must be an integer from 1 to 1000, got 2.5$/],
	['circuitBreakerCoolDownMs', 0, /^circuitBreakerCoolDownMs must be a number of ms from 1 to 86400000, got 0$/],
	['circuitBreakerCoolDownMs', '30s', /^circuitBreakerCoolDownMs must be a number of ms from 1 to 86400000, got "30s"$/],
	['circuitBreakerMaxCoolDownMs', 1000, /^circuitBreakerMaxCoolDownMs must be a number of ms from 30000 to 86400000, got 1000$/],
	['unansweredHostsConcurrency', 0, /^unansweredHostsConcurrency must be an integer from 1 to 64, got 0$/],
	['unansweredHostsConcurrency', 65, /^unansweredHostsConcurrency must be an integer from 1 to 64, got 65$/],
	['logger', console.warn, /^logger must be a pino-compatible logger, got a function$/],
	['logger', { warn: () => {} }, /^logger must be a pino-compatible logger; it has no debug, info, error, child$/],
	['metricsRegistry', 'default', /^metricsRegistry must be a prom-client Registry, got "default"$/],
	['metricsRegistry', {}, /^metricsRegistry must be a prom-client Registry; it has no registerMetric, metrics, getSingleMetric$/],
];

describe('module options are validated once, completely', () => {
	for (const [name, value, message] of badValues) {
		it(`${name}: ${typeof value === 'number' || value === undefined || value === null ? String(value) : JSON.stringify(value)} is refused with a TypeError naming it`, () => {
			assert.throws(() => normalizeOptions({ ...base, [name]: value } as WebhookModuleOptions), (error: unknown) => {
				assert.ok(error instanceof TypeError, `a TypeError, got ${String(error)}`);
				assert.match(error.message, message);
				return true;
			});
		});
	}

	it('every option the module reads has a bad-value row above', () => {
		const normalized = normalizeOptions(base);
		const derived = ['serverHost', 'allowedNetworks'];
		const covered = new Set(badValues.map(([name]) => name as string));
		assert.deepEqual(Object.keys(normalized).filter((name) => !derived.includes(name) && !covered.has(name)), []);
	});

	it('absent options take their defaults', () => {
		const normalized = normalizeOptions(base);
		assert.equal(normalized.serverUrl, 'https://misskey.example');
		assert.equal(normalized.serverHost, 'misskey.example');
		assert.equal(normalized.retryDelaysMs, null);
		assert.equal(normalized.defaultRetryPolicy, 'standard');
		assert.deepEqual(normalized.allowedPrivateNetworks, []);
		assert.equal(normalized.requestTimeoutMs, 5000);
		assert.equal(normalized.workerConcurrency, 64);
		assert.equal(normalized.concurrencyPerTargetHost, 8);
		assert.equal(normalized.maxConcurrencyPerTargetHost, 64, 'a fast receiver may grow to every worker slot');
		assert.equal(normalizeOptions({ ...base, concurrencyPerTargetHost: 8 }).maxConcurrencyPerTargetHost, 8, 'a share set by hand stays a hard cap');
		assert.equal(normalizeOptions({ ...base, workerConcurrency: 4 }).maxConcurrencyPerTargetHost, 8, 'never below the base share');
		assert.equal(normalizeOptions({ ...base, concurrencyPerTargetHost: 4, maxConcurrencyPerTargetHost: 32 }).maxConcurrencyPerTargetHost, 32);
		assert.equal(normalized.queuePrefix, 'bull');
		assert.equal(normalized.showPrivateNetworkAnswers, false);
		assert.equal(normalized.rateLimit, true);
		assert.equal(normalized.circuitBreakerThreshold, 5);
		assert.equal(normalized.circuitBreakerCoolDownMs, 30_000);
		assert.equal(normalized.circuitBreakerMaxCoolDownMs, 600_000);
		assert.equal(normalized.unansweredHostsConcurrency, 32, 'half of workerConcurrency');
		assert.equal(normalized.metricsRegistry, null, 'the module makes a registry of its own');
		for (const method of ['debug', 'info', 'warn', 'error', 'child'] as const) assert.equal(typeof normalized.logger[method], 'function');
		assert.equal(normalized.logger, normalizeOptions(base).logger, 'one default logger per process');
		assert.equal(normalized.jobLockDurationMs, 15_000);
		assert.equal(normalized.stalledCheckIntervalMs, 10_000);
		assert.equal(normalized.reconcileIntervalMs, 15_000);
		assert.equal(normalized.unattendedQueueAfterMs, 120_000);
	});

	it('the fairness bounds follow the options they depend on', () => {
		assert.equal(normalizeOptions({ ...base, workerConcurrency: 7 }).unansweredHostsConcurrency, 4);
		assert.throws(() => normalizeOptions({ ...base, workerConcurrency: 8, unansweredHostsConcurrency: 9 }), /^TypeError: unansweredHostsConcurrency must be an integer from 1 to 8, got 9$/);
		assert.throws(() => normalizeOptions({ ...base, circuitBreakerCoolDownMs: 5000, circuitBreakerMaxCoolDownMs: 4000 }), /^TypeError: circuitBreakerMaxCoolDownMs must be a number of ms from 5000 to 86400000, got 4000$/);
		const longCoolDown = normalizeOptions({ ...base, circuitBreakerCoolDownMs: 3_600_000 });
		assert.equal(longCoolDown.circuitBreakerMaxCoolDownMs, 3_600_000, 'the default maximum is never below the cool-down');
	});

	it("the queue's stalled-job check follows jobLockDurationMs and stalledCheckIntervalMs", async () => {
		const queue = createWebhookDeliverQueue('optionsCheck', normalizeOptions({ ...base, redisUrl: testRedisUrl, jobLockDurationMs: 4000, stalledCheckIntervalMs: 2000 }));
		try {
			const settings = (queue as unknown as { settings: Record<string, number> }).settings;
			assert.equal(settings.lockDuration, 4000);
			assert.equal(settings.lockRenewTime, 2000);
			assert.equal(settings.stalledInterval, 2000);
		} finally {
			await queue.close();
		}
	});

	it('good values pass as given; an empty retryDelaysMs means one attempt and no retry', () => {
		const normalized = normalizeOptions({
			...base,
			serverUrl: 'http://127.0.0.1:3000/',
			redisUrl: 'rediss://cache.example:6380/2',
			retryDelaysMs: [],
			requestTimeoutMs: 60_000,
			workerConcurrency: 1,
			concurrencyPerTargetHost: 1,
			queuePrefix: 'misskey:webhooks',
			rateLimit: false,
			allowedPrivateNetworks: ['10.0.0.0/8:8080'],
		});
		assert.equal(normalized.serverUrl, 'http://127.0.0.1:3000');
		assert.equal(normalized.serverHost, '127.0.0.1:3000');
		assert.equal(normalized.redisUrl, 'rediss://cache.example:6380/2');
		assert.deepEqual(normalized.retryDelaysMs, []);
		assert.equal(normalized.queuePrefix, 'misskey:webhooks');
		assert.equal(normalized.rateLimit, false);
		assert.equal(normalized.allowedNetworks.length, 1);
	});

	it('options that are not an object are refused', () => {
		assert.throws(() => normalizeOptions(null as unknown as WebhookModuleOptions), /^TypeError: options must be an object$/);
	});
});
