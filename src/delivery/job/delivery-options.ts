import type { RotationColumns } from '../../store/delivery-option-columns.js';
import { jobOptions, type JobOptionValues } from '../../core/webhook-options.js';
import type { DeliveryJobExtras } from './job-data.js';

/**
 * The per-webhook options a target may carry, and its rotated-out secret; all optional, so a caller holding only
 * Misskey's fields still enqueues a Misskey-shaped job.
 */
export type DeliveryOptionsOfTarget = Partial<JobOptionValues> & Partial<Pick<RotationColumns, 'previousSecret' | 'previousSecretExpiresAt'>>;

/**
 * The job extras copied from a webhook at enqueue, so the worker reads no row: every option a job copies
 * (core/webhook-options.ts), and the replaced secret while its grace period still runs at `now`. The replaced secret
 * goes only with the webhook's own secret: a test send with another secret signs with that one alone, and is marked
 * as such.
 */
export function deliveryExtrasOf(target: DeliveryOptionsOfTarget & { secret: string }, jobSecret: string, now: number): DeliveryJobExtras {
	const extras: Record<string, unknown> = {};
	const options = target as Record<string, unknown>;
	// An unset (null) option stays out: a job naming none means the same, and Misskey-shaped jobs stay as they were.
	for (const { name } of jobOptions) if (options[name] !== undefined && options[name] !== null) extras[name] = options[name];
	const copied = extras as DeliveryJobExtras;
	// Marked so the worker does not swap it for the webhook's current secret (attempt-secrets.ts).
	if (jobSecret !== target.secret) copied.secretOverride = true;
	const expiresAt = target.previousSecretExpiresAt?.getTime();
	if (target.previousSecret && jobSecret === target.secret && expiresAt !== undefined && expiresAt > now) {
		copied.previousSecret = target.previousSecret;
		copied.previousSecretExpiresAt = expiresAt;
	}
	return copied;
}
