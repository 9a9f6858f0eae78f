import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AttemptLogLines } from '../../src/delivery/log/attempt-log-lines.js';
import type { AttemptRecord } from '../../src/delivery/log/attempt-record.js';
import type { LogFields, WebhookLogger } from '../../src/core/logger.js';
import { CapturingLogger } from '../support/logger.js';

function attempt(outcome: AttemptRecord['outcome']): AttemptRecord {
	const delivered = outcome.kind === 'delivered';
	return {
		kind: 'user', webhookId: 'hook1', eventType: 'note', format: 'misskey', targetHost: 'receiver.example', deliveryId: 'd1', eventId: 'e1',
		attemptNumber: 1, attemptsAllowed: 3, startedAt: new Date(), durationMs: 5, outcome,
		nextAttemptAt: delivered ? null : new Date(Date.now() + 60_000), finished: delivered, trigger: 'scheduled',
	};
}

/** A real pino logger at `level`, writing its JSON lines into `lines`. */
function pinoInto(level: string, lines: Array<Record<string, unknown>>): WebhookLogger {
	const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
	return pino({ level }, sink);
}

describe('delivery: the attempt log lines', () => {
	const delivered = attempt({ kind: 'delivered', status: 200 });
	const failed = attempt({ kind: 'retry', status: 500, reason: '500 Internal Server Error', throttle: false });

	it('pino at info: a delivered attempt asks for no line at all, a failed one is a warn line', () => {
		const lines: Array<Record<string, unknown>> = [];
		const logger = pinoInto('info', lines);
		const asked: string[] = [];
		const counting: WebhookLogger = {
			debug: (fields: LogFields, message: string) => { asked.push(message); logger.debug(fields, message); },
			info: logger.info.bind(logger), warn: logger.warn.bind(logger), error: logger.error.bind(logger), child: logger.child.bind(logger),
			isLevelEnabled: (level) => logger.isLevelEnabled!(level),
		};
		const log = new AttemptLogLines(counting);
		log.record(delivered);
		log.record(failed);
		assert.deepEqual(asked, []);
		assert.deepEqual(lines.map((line) => [line.level, line.msg, line.status]), [[40, 'webhook attempt failed, will retry', 500]]);
	});

	it('pino at debug: a delivered attempt is a debug line with its fields', () => {
		const lines: Array<Record<string, unknown>> = [];
		new AttemptLogLines(pinoInto('debug', lines)).record(delivered);
		assert.deepEqual(lines.map((line) => [line.level, line.msg, line.webhookId, line.deliveryId, line.status, line.targetHost]), [[20, 'webhook delivered', 'hook1', 'd1', 200, 'receiver.example']]);
	});

	it('a logger that cannot tell its level is given every line', () => {
		const logger = new CapturingLogger();
		const log = new AttemptLogLines(logger);
		log.record(delivered);
		log.record(failed);
		assert.deepEqual(logger.entries.map((entry) => [entry.level, entry.message]), [['debug', 'webhook delivered'], ['warn', 'webhook attempt failed, will retry']]);
	});
});
