import type Bull from 'bull';
import type { UserWebhookDeliverJobData } from './job-data.js';
import type { WebhookSender } from './sender.js';
import type { TargetHostLimiter } from './target-host-limiter.js';
import type { WebhookStatusWriter } from './status-writer.js';
import type { DeliveryLogger } from './logger.js';
import { classifyDelivery, type DeliveryOutcome } from './outcome.js';
import { targetHostOf } from './target-host-limiter.js';

/** Misskey's return value of a delivered job, as the queue inspector shows it (spec §8.3). */
export const DELIVERED_RETURN_VALUE = 'Success';

/** Thrown to Bull when an attempt did not deliver; carries the outcome, so nothing reads its message. */
export class WebhookDeliveryFailed extends Error {
	override name = 'WebhookDeliveryFailed';

	constructor(readonly outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>) {
		super(outcome.reason);
	}
}

/** What the processor needs; all of it lives for the whole worker. */
export interface DeliveryWorkerParts {
	sender: WebhookSender;
	limiter: TargetHostLimiter;
	statusWriter: WebhookStatusWriter;
	logger: DeliveryLogger;
}

/**
 * The Bull processor of `userWebhookDeliver` (spec §8, §9): send → classify → record status → outcome.
 * Delivered resolves; retry throws so Bull applies the backoff; final discards the job first (Misskey's UnrecoverableError).
 */
export function createUserWebhookDeliverProcessor(parts: DeliveryWorkerParts): (job: Bull.Job<UserWebhookDeliverJobData>) => Promise<string> {
	return async (job) => {
		const result = await parts.limiter.run(targetHostOf(job.data.to), () => parts.sender.send(job.data));
		const outcome = classifyDelivery(result);
		parts.statusWriter.record(job.data.webhookId, new Date(), outcome.status);
		return settle(job, outcome, parts.logger);
	};
}

async function settle(job: Bull.Job<UserWebhookDeliverJobData>, outcome: DeliveryOutcome, logger: DeliveryLogger): Promise<string> {
	if (outcome.kind === 'delivered') return DELIVERED_RETURN_VALUE;
	const attempt = job.attemptsMade + 1;
	const attempts = job.opts.attempts ?? 1;
	if (outcome.kind === 'final') await job.discard();
	const next = outcome.kind === 'retry' && attempt < attempts ? 'will retry' : 'giving up';
	logger.warn(`user webhook ${job.data.webhookId} attempt ${attempt}/${attempts} failed: ${outcome.reason}; ${next}`);
	throw new WebhookDeliveryFailed(outcome);
}
