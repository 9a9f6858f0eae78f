import type { DeliveryOptionColumns } from '../../store/delivery-option-columns.js';
import type { DeliveryJobExtras } from './job-data.js';

/**
 * The per-webhook delivery options a target may carry; all optional, so a caller holding only
 * Misskey's fields still enqueues a Misskey-shaped job.
 */
export type DeliveryOptionsOfTarget = Partial<Pick<DeliveryOptionColumns, 'retryPolicy' | 'sendSecretHeader' | 'previousSecret' | 'previousSecretExpiresAt' | 'format'>>;

/**
 * The job extras copied from a webhook at enqueue, so the worker reads no row: its retry
 * preset, whether the clear secret header is sent, the body's format, and the replaced secret while its grace period still runs at
 * `now`. The replaced secret goes only with the webhook's own secret: a test send with another secret signs with
 * that one alone, and is marked as such.
 */
export function deliveryExtrasOf(target: DeliveryOptionsOfTarget & { secret: string }, jobSecret: string, now: number): DeliveryJobExtras {
	const extras: DeliveryJobExtras = {};
	if (target.retryPolicy !== undefined) extras.retryPolicy = target.retryPolicy;
	if (target.sendSecretHeader !== undefined) extras.sendSecretHeader = target.sendSecretHeader;
	if (target.format !== undefined) extras.format = target.format;
	// Marked so the worker does not swap it for the webhook's current secret (attempt-secrets.ts).
	if (jobSecret !== target.secret) extras.secretOverride = true;
	const expiresAt = target.previousSecretExpiresAt?.getTime();
	if (target.previousSecret && jobSecret === target.secret && expiresAt !== undefined && expiresAt > now) {
		extras.previousSecret = target.previousSecret;
		extras.previousSecretExpiresAt = expiresAt;
	}
	return extras;
}
