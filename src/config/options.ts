import { parseAllowedNetworks, type AllowedNetwork } from './allowed-networks.js';
import { SECRET_ROTATION_GRACE_MS } from '../signing/secret-rotation.js';
import { normalizeOutboxOptions, type OutboxOptions } from './outbox-options.js';
import { normalizeFairnessOptions, type FairnessOptions } from './fairness-options.js';
import { RETRY_POLICY_NAMES, type RetryPolicyName } from '../core/retry-policy-name.js';
import type { Registry } from 'prom-client';
import { booleanOption, choiceOption, durationOption, integerOption, listOption, objectWithMethodsOption, stringOption, urlOption } from './option-checks.js';
import { defaultWebhookLogger, WEBHOOK_LOGGER_METHODS, type WebhookLogger } from '../core/logger.js';

/** Everything a host may set; the outbox's options (reconciler, retention) are in `OutboxOptions`. */
export interface WebhookModuleOptions extends OutboxOptions, FairnessOptions {
	/** Public origin of the server, no trailing slash: the envelope's `server`; its host is `X-Misskey-Host`. */
	serverUrl: string;
	/** ioredis connection URL for the queue and the registry's pub/sub. */
	redisUrl: string;
	/** Delays before attempts 2, 3, ... in ms. Default: the webhook's retry preset (`defaultRetryPolicy`). When given, used as is for every webhook (no jitter, no Retry-After). */
	retryDelaysMs?: readonly number[];
	/** Retry preset of a webhook that names none: `standard` (10 attempts over ≈ 75 h) or `misskey` (4 over ≈ 11 min). */
	defaultRetryPolicy?: RetryPolicyName;
	/**
	 * Networks deliveries may reach although the address guard blocks them: CIDRs, optionally with one port
	 * (`10.0.0.0/8`, `fd00::/8`, `10.0.0.0/8:8080`, `[fd00::]/8:8080`). Default none: every private address is refused.
	 */
	allowedPrivateNetworks?: readonly string[];
	/**
	 * Whether the attempt log keeps what a receiver on a private address (reached through `allowedPrivateNetworks`)
	 * answered. Default false: status and timing only, so a webhook owner cannot use the allowlist to read an internal
	 * service's replies.
	 */
	showPrivateNetworkAnswers?: boolean;
	/** Time from request start to response headers, ms (Misskey: 5000). */
	requestTimeoutMs?: number;
	/** Jobs processed at once per worker process (Misskey: 64). */
	workerConcurrency?: number;
	/** Prefix of the Bull queue keys in Redis. */
	queuePrefix?: string;
	/** Whether endpoint rate limits (`limit`) are enforced. */
	rateLimit?: boolean;
	/**
	 * Auto-disable window, ms: a webhook whose deliveries all failed for this long is paused when one
	 * more delivery ends undelivered. Default 5 days (Svix's 120 h).
	 */
	autoDisableAfterMs?: number;
	/** How long a replaced secret still signs deliveries, ms. Default 24 h (Svix's). */
	secretRotationGraceMs?: number;
	/**
	 * Where the module logs, as structured lines: any pino-compatible logger (`debug`, `info`, `warn`, `error`, each
	 * `(fields, message)`, and `child(bindings)`), e.g. Fastify's `fastify.log`. Default: pino at level `info` on standard error.
	 */
	logger?: WebhookLogger;
	/**
	 * The prom-client registry the module registers its metrics on, e.g. the host's own, so one scrape gets both.
	 * Default: a registry of the module's own (`webhooks.metrics.registry`). One module per registry: the names would clash.
	 */
	metricsRegistry?: Registry;
	/**
	 * How long a worker's hold on a running job lasts without renewal, ms (Bull's `lockDuration`). The worker renews it
	 * every half of it while the job runs, so only a worker that stopped (a crash, an event loop blocked that long)
	 * loses it. Default 15 s: a job whose worker died is free 15 s sooner than with Bull's 30 s, while a loop blocked
	 * for several seconds still keeps its jobs (one that loses them sends them twice, it does not lose them).
	 */
	jobLockDurationMs?: number;
	/**
	 * How often a worker looks for running jobs whose worker died (their hold expired) and queues them again, ms (Bull's
	 * `stalledInterval`). Default 10 s. A dead worker's job is taken up again within `jobLockDurationMs + stalledCheckIntervalMs`.
	 */
	stalledCheckIntervalMs?: number;
	/**
	 * How often the intake relay of a worker process looks for events committed in hosts' transactions, ms. Default 1 s.
	 * It is also woken at each such commit, so this only bounds the delay when a wake-up was lost (a crash, Redis away).
	 */
	intakePollIntervalMs?: number;
	/** Intake events the relay takes per transaction. Default 100. */
	intakeBatchSize?: number;
	/**
	 * How long deliveries may wait while no worker, in any process, takes a job, ms, before the queue counts as
	 * unattended: `health()` is not ok, the gauge `misskey_webhooks_queue_unattended` is 1 and a warning is logged.
	 * Default 2 min: longer than the longest request timeout, so a worker whose every slot waits on a slow receiver still
	 * takes a job within it, and shorter than the health check's default lag, so a missing worker is named before that.
	 */
	unattendedQueueAfterMs?: number;
}

export type NormalizedOptions = Required<Omit<WebhookModuleOptions, 'retryDelaysMs' | 'metricsRegistry'>> & {
	retryDelaysMs: readonly number[] | null;
	/** null: the module makes a registry of its own. */
	metricsRegistry: Registry | null;
	/** `config.host` in Misskey: host with non-default port; also the internal pub/sub channel name. */
	serverHost: string;
	/** `allowedPrivateNetworks` parsed once, as the address guard matches them. */
	allowedNetworks: readonly AllowedNetwork[];
};

/** How long every delivery of a webhook must have failed before an exhausted one pauses it (Svix: 120 h). */
export const DEFAULT_AUTO_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** A worker's hold on its job, and how often dead workers' jobs are looked for (see the options' comments). */
export const DEFAULT_JOB_LOCK_DURATION_MS = 15_000;
export const DEFAULT_STALLED_CHECK_INTERVAL_MS = 10_000;
// Below a second the renewals and checks become Redis load of their own; above an hour a crash delays deliveries for hours.
const MIN_JOB_LOCK_DURATION_MS = 1_000;
const MIN_STALLED_CHECK_INTERVAL_MS = 1_000;
const MAX_JOB_HOLD_MS = 60 * 60 * 1000;

export const DEFAULT_UNATTENDED_QUEUE_AFTER_MS = 2 * 60_000;
// Workers note their takes in Redis at most once a second (delivery/queue/last-taken.ts): a shorter threshold would
// take a worker that took a job a second ago for none.
const MIN_UNATTENDED_QUEUE_AFTER_MS = 2_000;
const MAX_UNATTENDED_QUEUE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The longest wait for response headers an operator may set: a slot held longer starves the other receivers. */
const MAX_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Validates every option once, type and range, and fills defaults, so the rest of the module never checks them again.
 * A bad value throws a `TypeError` that names the option.
 */
export function normalizeOptions(options: WebhookModuleOptions): NormalizedOptions {
	if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
	const url = urlOption('serverUrl', options.serverUrl, ['http:', 'https:']);
	urlOption('redisUrl', options.redisUrl, ['redis:', 'rediss:']);
	const redisUrl = options.redisUrl;
	const retryDelaysMs = options.retryDelaysMs === undefined ? null : listOption('retryDelaysMs', options.retryDelaysMs, [], (name, delay) => durationOption(name, delay, 0, 0));
	const allowedPrivateNetworks = listOption('allowedPrivateNetworks', options.allowedPrivateNetworks, [], (name, item) => stringOption(name, item, '', /\S/, 'a network in CIDR notation'));
	const workerConcurrency = integerOption('workerConcurrency', options.workerConcurrency, 64, 1, 10_000);
	const allowedNetworks = parseAllowedNetworks(allowedPrivateNetworks);
	if (!allowedNetworks.ok) throw new TypeError(`allowedPrivateNetworks: ${allowedNetworks.problems.join('; ')}`);
	return {
		serverUrl: url.origin,
		serverHost: url.host,
		redisUrl,
		retryDelaysMs,
		defaultRetryPolicy: choiceOption('defaultRetryPolicy', options.defaultRetryPolicy, 'standard', RETRY_POLICY_NAMES),
		allowedPrivateNetworks,
		allowedNetworks: allowedNetworks.networks,
		requestTimeoutMs: durationOption('requestTimeoutMs', options.requestTimeoutMs, 5000, 1, MAX_REQUEST_TIMEOUT_MS),
		workerConcurrency,
		queuePrefix: stringOption('queuePrefix', options.queuePrefix, 'bull', /^[^\s{}]+$/, 'a non-empty string without spaces or braces'),
		rateLimit: booleanOption('rateLimit', options.rateLimit, true),
		showPrivateNetworkAnswers: booleanOption('showPrivateNetworkAnswers', options.showPrivateNetworkAnswers, false),
		autoDisableAfterMs: durationOption('autoDisableAfterMs', options.autoDisableAfterMs, DEFAULT_AUTO_DISABLE_AFTER_MS, 0),
		secretRotationGraceMs: durationOption('secretRotationGraceMs', options.secretRotationGraceMs, SECRET_ROTATION_GRACE_MS, 0),
		logger: objectWithMethodsOption<WebhookLogger>('logger', options.logger, WEBHOOK_LOGGER_METHODS, 'a pino-compatible logger') ?? defaultWebhookLogger(),
		metricsRegistry: objectWithMethodsOption<Registry>('metricsRegistry', options.metricsRegistry, ['registerMetric', 'metrics', 'getSingleMetric'], 'a prom-client Registry') ?? null,
		jobLockDurationMs: durationOption('jobLockDurationMs', options.jobLockDurationMs, DEFAULT_JOB_LOCK_DURATION_MS, MIN_JOB_LOCK_DURATION_MS, MAX_JOB_HOLD_MS),
		intakePollIntervalMs: durationOption('intakePollIntervalMs', options.intakePollIntervalMs, 1_000, 10, MAX_JOB_HOLD_MS),
		intakeBatchSize: integerOption('intakeBatchSize', options.intakeBatchSize, 100, 1, 10_000),
		stalledCheckIntervalMs: durationOption('stalledCheckIntervalMs', options.stalledCheckIntervalMs, DEFAULT_STALLED_CHECK_INTERVAL_MS, MIN_STALLED_CHECK_INTERVAL_MS, MAX_JOB_HOLD_MS),
		unattendedQueueAfterMs: durationOption(
			'unattendedQueueAfterMs',
			options.unattendedQueueAfterMs,
			DEFAULT_UNATTENDED_QUEUE_AFTER_MS,
			MIN_UNATTENDED_QUEUE_AFTER_MS,
			MAX_UNATTENDED_QUEUE_AFTER_MS,
		),
		...normalizeOutboxOptions(options),
		...normalizeFairnessOptions(options, workerConcurrency),
	};
}
