import { parseAllowedNetworks, type AllowedNetwork } from '../delivery/guard/address-guard-allowlist.js';
import { SECRET_ROTATION_GRACE_MS } from '../signing/secret-rotation.js';
import { DEFAULT_AUTO_DISABLE_AFTER_MS } from '../delivery/auto-disable/auto-disable-rule.js';
import { normalizeOutboxOptions, type OutboxOptions } from './outbox-options.js';
import { isRetryPolicyName, type RetryPolicyName } from '../core/retry-policy-name.js';

/** Misskey's retry schedule for attempts 2..4: base (2^n − 1) × 60 s, capped at 8 h (jitter added by the policy). */
export const MISSKEY_RETRY_BASE_DELAYS_MS = [60_000, 180_000, 420_000] as const;

/** Everything a host may set; the outbox's options (reconciler, retention) are in `OutboxOptions`. */
export interface WebhookModuleOptions extends OutboxOptions {
	/** Public origin of the server, no trailing slash: the envelope's `server`; its host is `X-Misskey-Host`. */
	serverUrl: string;
	/** ioredis connection URL for the queue and the registry's pub/sub. */
	redisUrl: string;
	/** Delays before attempts 2, 3, ... in ms. Default: Misskey's backoff with 0–20 % added jitter. When given, used as is (no jitter). */
	retryDelaysMs?: readonly number[];
	/** Retry preset of a webhook that names none: `standard` (10 attempts over ≈ 75 h) or `misskey` (4 over ≈ 11 min). */
	defaultRetryPolicy?: RetryPolicyName;
	/**
	 * Networks deliveries may reach although the address guard blocks them: CIDRs, optionally with one port
	 * (`10.0.0.0/8`, `fd00::/8`, `10.0.0.0/8:8080`, `[fd00::]/8:8080`). Default none: every private address is refused.
	 */
	allowedPrivateNetworks?: readonly string[];
	/** Time from request start to response headers, ms (Misskey: 5000). */
	requestTimeoutMs?: number;
	/** Jobs processed at once per worker process (Misskey: 64). */
	workerConcurrency?: number;
	/** Requests in flight at once to one target host, per worker process. */
	concurrencyPerTargetHost?: number;
	/** Prefix of the Bull queue keys in Redis. */
	queuePrefix?: string;
	/** Whether endpoint rate limits (`limit`) are enforced. */
	rateLimit?: boolean;
	/**
	 * Auto-disable window, ms (issue 4 point 6): a webhook whose deliveries all failed for this long is paused when one
	 * more delivery ends undelivered. Default 5 days (Svix's 120 h).
	 */
	autoDisableAfterMs?: number;
	/** How long a replaced secret still signs deliveries, ms (issue 4 point 2). Default 24 h (Svix's). */
	secretRotationGraceMs?: number;
}

export type NormalizedOptions = Required<Omit<WebhookModuleOptions, 'retryDelaysMs'>> & {
	retryDelaysMs: readonly number[] | null;
	/** `config.host` in Misskey: host with non-default port; also the internal pub/sub channel name. */
	serverHost: string;
	/** `allowedPrivateNetworks` parsed once, as the address guard matches them. */
	allowedNetworks: readonly AllowedNetwork[];
};

/** Validates options once and fills defaults, so the rest of the module never checks them again. */
export function normalizeOptions(options: WebhookModuleOptions): NormalizedOptions {
	const url = new URL(options.serverUrl);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`serverUrl must be http(s): ${options.serverUrl}`);
	for (const delay of options.retryDelaysMs ?? []) {
		if (!Number.isFinite(delay) || delay < 0) throw new TypeError(`retryDelaysMs must be non-negative numbers: ${delay}`);
	}
	const allowedNetworks = parseAllowedNetworks(options.allowedPrivateNetworks ?? []);
	if (!allowedNetworks.ok) throw new TypeError(`allowedPrivateNetworks: ${allowedNetworks.problems.join('; ')}`);
	if (options.defaultRetryPolicy !== undefined && !isRetryPolicyName(options.defaultRetryPolicy)) {
		throw new TypeError(`defaultRetryPolicy must be 'standard' or 'misskey': ${String(options.defaultRetryPolicy)}`);
	}
	if (options.autoDisableAfterMs !== undefined && !(Number.isFinite(options.autoDisableAfterMs) && options.autoDisableAfterMs >= 0)) {
		throw new TypeError(`autoDisableAfterMs must be a non-negative number: ${String(options.autoDisableAfterMs)}`);
	}
	if (options.secretRotationGraceMs !== undefined && !(Number.isFinite(options.secretRotationGraceMs) && options.secretRotationGraceMs >= 0)) {
		throw new TypeError(`secretRotationGraceMs must be a non-negative number: ${String(options.secretRotationGraceMs)}`);
	}
	return {
		serverUrl: url.origin,
		serverHost: url.host,
		redisUrl: options.redisUrl,
		retryDelaysMs: options.retryDelaysMs ? [...options.retryDelaysMs] : null,
		defaultRetryPolicy: options.defaultRetryPolicy ?? 'standard',
		allowedPrivateNetworks: [...(options.allowedPrivateNetworks ?? [])],
		allowedNetworks: allowedNetworks.networks,
		requestTimeoutMs: options.requestTimeoutMs ?? 5000,
		workerConcurrency: options.workerConcurrency ?? 64,
		concurrencyPerTargetHost: options.concurrencyPerTargetHost ?? 8,
		queuePrefix: options.queuePrefix ?? 'bull',
		rateLimit: options.rateLimit ?? true,
		autoDisableAfterMs: options.autoDisableAfterMs ?? DEFAULT_AUTO_DISABLE_AFTER_MS,
		secretRotationGraceMs: options.secretRotationGraceMs ?? SECRET_ROTATION_GRACE_MS,
		...normalizeOutboxOptions(options),
	};
}
