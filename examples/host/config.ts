import { isIPv6 } from 'node:net';
import { parseAllowedNetwork } from '../../src/index.js';

/** Everything the reference host reads from its environment, parsed once at start. */
export interface HostConfig {
	port: number;
	host: string;
	databaseUrl: string;
	redisUrl: string;
	/** Public origin: the envelope's `server`; its host is `X-Misskey-Host`. */
	serverUrl: string;
	allowedPrivateNetworks: string[];
	/** Whether the attempt log keeps the answers of receivers on allowlisted private addresses (module option `showPrivateNetworkAnswers`). */
	showPrivateNetworkAnswers: boolean;
	/** Undefined keeps the module's default (Misskey's backoff). */
	retryDelaysMs: number[] | undefined;
	/** Level of the JSON log lines (Fastify's logger, which the webhook module logs through too). */
	logLevel: LogLevel;
	/** Whether this process runs the delivery workers (WEBHOOK_WORKERS=off: a web process only; `npm run worker` runs them). */
	workers: boolean;
	/** Recovery timings (module options of the same names); undefined keeps the module's defaults. */
	reconcileIntervalMs: number | undefined;
	jobLockDurationMs: number | undefined;
	stalledCheckIntervalMs: number | undefined;
}

/** pino's levels, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = typeof LOG_LEVELS[number];

/** A parsed configuration, or every problem found, so the operator fixes them in one go. */
export type HostConfigResult = { ok: true; config: HostConfig } | { ok: false; problems: string[] };

const defaults = {
	PORT: '3000',
	HOST: '127.0.0.1',
	DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/misskey_webhooks',
	REDIS_URL: 'redis://127.0.0.1:6379',
	LOG_LEVEL: 'info',
};

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

function commaList(value: string | undefined): string[] {
	return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function hasProtocol(value: string, protocols: readonly string[]): boolean {
	try {
		return protocols.includes(new URL(value).protocol);
	} catch {
		return false;
	}
}

/**
 * Reads PORT, HOST, DATABASE_URL, REDIS_URL, SERVER_URL, WEBHOOK_ALLOWED_PRIVATE_NETWORKS, WEBHOOK_SHOW_PRIVATE_NETWORK_ANSWERS,
 * WEBHOOK_RETRY_DELAYS_MS, LOG_LEVEL,
 * WEBHOOK_WORKERS and the recovery timings WEBHOOK_RECONCILE_INTERVAL_MS, WEBHOOK_JOB_LOCK_DURATION_MS, WEBHOOK_STALLED_CHECK_INTERVAL_MS.
 */
export function parseHostConfig(env: Record<string, string | undefined>): HostConfigResult {
	const problems: string[] = [];

	const portText = nonEmpty(env.PORT) ?? defaults.PORT;
	const port = Number(portText);
	const portIsValid = /^\d+$/.test(portText) && port <= 65535;
	if (!portIsValid) problems.push(`PORT must be an integer from 0 to 65535, got "${portText}"`);

	const host = nonEmpty(env.HOST) ?? defaults.HOST;

	const databaseUrl = nonEmpty(env.DATABASE_URL) ?? defaults.DATABASE_URL;
	if (!hasProtocol(databaseUrl, ['postgres:', 'postgresql:'])) problems.push(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);

	const redisUrl = nonEmpty(env.REDIS_URL) ?? defaults.REDIS_URL;
	if (!hasProtocol(redisUrl, ['redis:', 'rediss:'])) problems.push(`REDIS_URL must be a redis:// URL, got "${redisUrl}"`);

	// An IPv6 listen address needs brackets inside a URL.
	const urlHost = isIPv6(host) ? `[${host}]` : host;
	const explicitServerUrl = nonEmpty(env.SERVER_URL);
	const serverUrl = (explicitServerUrl ?? `http://${urlHost}:${portText}`).replace(/\/+$/, '');
	// A bad PORT already reported makes the derived SERVER_URL bad too; say it once.
	if ((portIsValid || explicitServerUrl !== undefined) && !hasProtocol(serverUrl, ['http:', 'https:'])) problems.push(`SERVER_URL must be an http(s) URL, got "${serverUrl}"`);

	const allowedPrivateNetworks = commaList(env.WEBHOOK_ALLOWED_PRIVATE_NETWORKS);
	// The module's own parser, so the host accepts exactly what the address guard does (ports included).
	for (const entry of allowedPrivateNetworks) {
		const parsed = parseAllowedNetwork(entry);
		if (!parsed.ok) problems.push(`WEBHOOK_ALLOWED_PRIVATE_NETWORKS: ${parsed.problem}`);
	}

	const answersText = (nonEmpty(env.WEBHOOK_SHOW_PRIVATE_NETWORK_ANSWERS) ?? 'off').toLowerCase();
	if (answersText !== 'on' && answersText !== 'off') problems.push(`WEBHOOK_SHOW_PRIVATE_NETWORK_ANSWERS must be "on" or "off", got "${answersText}"`);
	const showPrivateNetworkAnswers = answersText === 'on';

	const delayTexts = commaList(env.WEBHOOK_RETRY_DELAYS_MS);
	for (const text of delayTexts) {
		if (!/^\d+$/.test(text)) problems.push(`WEBHOOK_RETRY_DELAYS_MS: "${text}" is not a whole number of milliseconds`);
	}
	const retryDelaysMs = delayTexts.length > 0 ? delayTexts.map(Number) : undefined;

	const logLevel = (nonEmpty(env.LOG_LEVEL) ?? defaults.LOG_LEVEL).toLowerCase();
	if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

	const workersText = (nonEmpty(env.WEBHOOK_WORKERS) ?? 'on').toLowerCase();
	if (workersText !== 'on' && workersText !== 'off') problems.push(`WEBHOOK_WORKERS must be "on" or "off", got "${workersText}"`);
	const workers = workersText !== 'off';

	// The module checks the range and names its option; the host only checks the variable holds a whole number.
	const milliseconds = (name: string): number | undefined => {
		const text = nonEmpty(env[name]);
		if (text === undefined) return undefined;
		if (!/^\d+$/.test(text)) problems.push(`${name}: "${text}" is not a whole number of milliseconds`);
		return Number(text);
	};
	const reconcileIntervalMs = milliseconds('WEBHOOK_RECONCILE_INTERVAL_MS');
	const jobLockDurationMs = milliseconds('WEBHOOK_JOB_LOCK_DURATION_MS');
	const stalledCheckIntervalMs = milliseconds('WEBHOOK_STALLED_CHECK_INTERVAL_MS');

	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, config: { port, host, databaseUrl, redisUrl, serverUrl, allowedPrivateNetworks, showPrivateNetworkAnswers, retryDelaysMs, logLevel: logLevel as LogLevel, workers, reconcileIntervalMs, jobLockDurationMs, stalledCheckIntervalMs } };
}
