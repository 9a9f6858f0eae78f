import type { WebhookLogger } from '../../core/logger.js';
import type { AttemptRecord, AttemptRecorder } from './attempt-record.js';

/**
 * What an attempt came to, in one word: `delivered`; `will_retry` (another attempt is scheduled); `blocked` (the
 * address guard refused the receiver's address); `failed` (no attempt follows: a final answer, 410 Gone, or the
 * retries are spent). Log lines and metrics say the same word.
 */
export type AttemptResult = 'delivered' | 'will_retry' | 'failed' | 'blocked';

export const ATTEMPT_RESULTS: readonly AttemptResult[] = ['delivered', 'will_retry', 'failed', 'blocked'];

/** The error class of the address guard's refusal (see retry/outcome.ts). */
const BLOCKED = 'blocked-address';

export function attemptResultOf(attempt: AttemptRecord): AttemptResult {
	if (attempt.outcome.kind === 'delivered') return 'delivered';
	if (attempt.errorClass === BLOCKED) return 'blocked';
	return attempt.finished ? 'failed' : 'will_retry';
}

/**
 * One structured line per attempt: delivered at `debug`, anything else at `warn`. Fields are ids, numbers and
 * classes; the target only as its host. Never the secret, the body, the URL's path or query, or the response body.
 */
export class AttemptLogLines implements AttemptRecorder {
	constructor(private readonly logger: WebhookLogger) {}

	record(attempt: AttemptRecord): void {
		const result = attemptResultOf(attempt);
		// Every delivery comes here: its line's fields are not built when the line would be dropped.
		if (result === 'delivered' && this.logger.isLevelEnabled?.('debug') === false) return;
		const fields = {
			kind: attempt.kind,
			webhookId: attempt.webhookId,
			...(attempt.deliveryId === undefined ? {} : { deliveryId: attempt.deliveryId }),
			eventId: attempt.eventId,
			type: attempt.eventType,
			format: attempt.format,
			targetHost: attempt.targetHost,
			attempt: attempt.attemptNumber,
			attemptsAllowed: attempt.attemptsAllowed,
			result,
			status: attempt.outcome.status,
			...(attempt.errorClass === undefined ? {} : { errorClass: attempt.errorClass }),
			durationMs: attempt.durationMs,
			...(attempt.nextAttemptAt ? { nextAttemptAt: attempt.nextAttemptAt.toISOString() } : {}),
			trigger: attempt.trigger,
		};
		if (result === 'delivered') {
			this.logger.debug(fields, 'webhook delivered');
			return;
		}
		// The outcome's reason is the status line or the error class (for a blocked address, which address and why).
		const reason = attempt.outcome.kind === 'delivered' ? undefined : attempt.outcome.reason;
		this.logger.warn({ ...fields, reason }, result === 'will_retry' ? 'webhook attempt failed, will retry' : 'webhook delivery failed, giving up');
	}

	async flush(): Promise<void> {}

	async close(): Promise<void> {}
}
