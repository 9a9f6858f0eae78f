import { pino } from 'pino';
import type { LogFields, WebhookLogger } from '../../src/core/logger.js';

/** A logger that writes nothing, for suites that do not read what the module logs. */
export const quietLogger: WebhookLogger = pino({ level: 'silent' });

/** One call of the logger, as a test reads it. */
export interface CapturedLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	fields: LogFields;
}

/**
 * A logger that keeps every call: `entries` as given, `lines` as text (`message {fields as JSON}`) for tests that
 * look for words. Children share both lists.
 */
export class CapturingLogger implements WebhookLogger {
	readonly entries: CapturedLine[];
	readonly lines: string[];

	constructor(private readonly bindings: LogFields = {}, shared?: { entries: CapturedLine[]; lines: string[] }) {
		this.entries = shared?.entries ?? [];
		this.lines = shared?.lines ?? [];
	}

	debug(fields: LogFields, message: string): void {
		this.keep('debug', fields, message);
	}

	info(fields: LogFields, message: string): void {
		this.keep('info', fields, message);
	}

	warn(fields: LogFields, message: string): void {
		this.keep('warn', fields, message);
	}

	error(fields: LogFields, message: string): void {
		this.keep('error', fields, message);
	}

	child(bindings: LogFields): CapturingLogger {
		return new CapturingLogger({ ...this.bindings, ...bindings }, { entries: this.entries, lines: this.lines });
	}

	/** Lines at `warn` and `error`: what an operator is told went wrong. */
	get problems(): string[] {
		return this.entries.filter((entry) => entry.level === 'warn' || entry.level === 'error').map((entry) => `${entry.message} ${JSON.stringify(entry.fields)}`);
	}

	private keep(level: CapturedLine['level'], fields: LogFields, message: string): void {
		const all = { ...this.bindings, ...fields };
		this.entries.push({ level, message, fields: all });
		this.lines.push(`${message} ${JSON.stringify(all)}`);
	}
}
