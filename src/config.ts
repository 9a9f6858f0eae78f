/** Misskey's retry schedule for attempts 2..4: base (2^n − 1) × 60 s, capped at 8 h (jitter added by the policy). */
export const MISSKEY_RETRY_BASE_DELAYS_MS = [60_000, 180_000, 420_000] as const;

export interface WebhookModuleOptions {
	/** Public origin of the server, no trailing slash: the envelope's `server`; its host is `X-Misskey-Host`. */
	serverUrl: string;
	/** ioredis connection URL for the queue and the registry's pub/sub. */
	redisUrl: string;
	/** Delays before attempts 2, 3, ... in ms. Default: Misskey's backoff with 0–20 % added jitter. When given, used as is (no jitter). */
	retryDelaysMs?: readonly number[];
	/** CIDRs that deliveries may reach although private (the address guard enforces this). */
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
}

export type NormalizedOptions = Required<Omit<WebhookModuleOptions, 'retryDelaysMs'>> & {
	retryDelaysMs: readonly number[] | null;
	/** `config.host` in Misskey: host with non-default port; also the internal pub/sub channel name. */
	serverHost: string;
};

/** Validates options once and fills defaults, so the rest of the module never checks them again. */
export function normalizeOptions(options: WebhookModuleOptions): NormalizedOptions {
	const url = new URL(options.serverUrl);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`serverUrl must be http(s): ${options.serverUrl}`);
	for (const delay of options.retryDelaysMs ?? []) {
		if (!Number.isFinite(delay) || delay < 0) throw new TypeError(`retryDelaysMs must be non-negative numbers: ${delay}`);
	}
	return {
		serverUrl: url.origin,
		serverHost: url.host,
		redisUrl: options.redisUrl,
		retryDelaysMs: options.retryDelaysMs ? [...options.retryDelaysMs] : null,
		allowedPrivateNetworks: [...(options.allowedPrivateNetworks ?? [])],
		requestTimeoutMs: options.requestTimeoutMs ?? 5000,
		workerConcurrency: options.workerConcurrency ?? 64,
		concurrencyPerTargetHost: options.concurrencyPerTargetHost ?? 8,
		queuePrefix: options.queuePrefix ?? 'bull',
		rateLimit: options.rateLimit ?? true,
	};
}
