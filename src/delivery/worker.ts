import type Bull from 'bull';
import type { UserWebhookDeliverJobData, WebhookDeliverJobData } from './job-data.js';
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
	/** How log lines name the webhook: `user webhook` (the default) or `system webhook`. */
	label?: string;
}

/**
 * The Bull processor of `userWebhookDeliver` and `systemWebhookDeliver` (spec §8, §9): send → classify → record status
 * → outcome. Delivered resolves; retry throws so Bull applies the backoff; final discards the job first (Misskey's
 * UnrecoverableError). Both kinds are treated alike; only the status table (the writer's) and the log label differ.
 */
export function createWebhookDeliverProcessor<Data extends WebhookDeliverJobData>(parts: DeliveryWorkerParts): (job: Bull.Job<Data>) => Promise<string> {
	return async (job) => {
		const result = await parts.limiter.run(targetHostOf(job.data.to), () => parts.sender.send(job.data));
		const outcome = classifyDelivery(result);
		parts.statusWriter.record(job.data.webhookId, new Date(), outcome.status);
		return settle(job, outcome, parts.logger, parts.label ?? 'user webhook');
	};
}

/** The processor of `userWebhookDeliver` (spec §8, §9). */
export const createUserWebhookDeliverProcessor = createWebhookDeliverProcessor<UserWebhookDeliverJobData>;

async function settle(job: Bull.Job<WebhookDeliverJobData>, outcome: DeliveryOutcome, logger: DeliveryLogger, label: string): Promise<string> {
	if (outcome.kind === 'delivered') return DELIVERED_RETURN_VALUE;
	const attempt = job.attemptsMade + 1;
	const attempts = job.opts.attempts ?? 1;
	// `disable` (410 Gone) ends the job like `final`; pausing the webhook is the caller's part.
	if (outcome.kind === 'final' || outcome.kind === 'disable') await job.discard();
	const next = outcome.kind === 'retry' && attempt < attempts ? 'will retry' : 'giving up';
	logger.warn(`${label} ${job.data.webhookId} attempt ${attempt}/${attempts} failed: ${outcome.reason}; ${next}`);
	throw new WebhookDeliveryFailed(outcome);
}
