import { pino } from 'pino';

/** Fields of one log line: plain data (ids, counts, classes, durations); never a secret, a body or a URL's query. */
export type LogFields = Record<string, unknown>;

/**
 * Where the module says what it does, as structured lines: any pino-compatible logger (pino itself, Fastify's
 * `fastify.log`, a host's own adapted to these five methods). Messages stay short; what varies goes in the fields.
 */
export interface WebhookLogger {
	debug(fields: LogFields, message: string): void;
	info(fields: LogFields, message: string): void;
	warn(fields: LogFields, message: string): void;
	error(fields: LogFields, message: string): void;
	/** A logger whose every line carries `bindings` too (e.g. `{ component: 'reconciler' }`). */
	child(bindings: LogFields): WebhookLogger;
	/**
	 * Whether lines of `level` are written (pino's own method). Optional: without it every line's fields are built; with
	 * it, a line at every delivery (`debug`) costs nothing when it would be dropped.
	 */
	isLevelEnabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}

/** The methods a logger must have to be taken as one. */
export const WEBHOOK_LOGGER_METHODS = ['debug', 'info', 'warn', 'error', 'child'] as const;

let defaultLogger: WebhookLogger | undefined;

/**
 * The logger of a host that passes none: pino at level `info`, JSON lines on standard error.
 * One per process, made on first use.
 */
export function defaultWebhookLogger(): WebhookLogger {
	defaultLogger ??= pino({ level: 'info' }, pino.destination({ dest: 2, sync: true }));
	return defaultLogger;
}
