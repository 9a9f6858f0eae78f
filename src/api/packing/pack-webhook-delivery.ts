import type { WebhookDeliveryEntity } from '../../store/webhook-delivery.entity.js';
import type { WebhookDeliveryAttemptEntity } from '../../store/webhook-delivery-attempt.entity.js';
import type { WebhookDelivery } from '../../generated/webhook-delivery.js';
import type { WebhookDeliveryAttempt } from '../../generated/webhook-delivery-attempt.js';
import type { WebhookDeliveryDetail } from '../../generated/webhook-delivery-detail.js';
import { redactWebhookUrl } from '../../core/redact-url.js';

/** A delivery row as the delivery API shows it (`WebhookDelivery`): dates as ISO strings, no secret, no body. */
export function packWebhookDelivery(row: WebhookDeliveryEntity): WebhookDelivery {
	return {
		id: row.id,
		webhookId: row.webhookId,
		eventId: row.eventId,
		type: row.type,
		url: row.url,
		status: row.status,
		attemptCount: row.attempts,
		maxAttempts: row.maxAttempts,
		retryPolicy: row.retryPolicy,
		createdAt: row.createdAt.toISOString(),
		nextAttemptAt: isoOrNull(row.nextAttemptAt),
		lastAttemptAt: isoOrNull(row.lastAttemptAt),
		lastStatus: row.lastStatus,
		finishedAt: isoOrNull(row.finishedAt),
	};
}

/** An attempt row as the delivery API shows it (`WebhookDeliveryAttempt`). */
export function packWebhookDeliveryAttempt(row: WebhookDeliveryAttemptEntity): WebhookDeliveryAttempt {
	return {
		id: row.id,
		number: row.number,
		trigger: row.trigger,
		startedAt: row.startedAt.toISOString(),
		durationMs: row.durationMs,
		status: row.status,
		errorClass: row.errorClass,
		reason: row.reason,
		responseBody: row.responseBody,
		nextAttemptAt: isoOrNull(row.nextAttemptAt),
	};
}

/** A delivery with its event body and its attempts, first to last (`WebhookDeliveryDetail`). */
export function packWebhookDeliveryDetail(row: WebhookDeliveryEntity, attempts: readonly WebhookDeliveryAttemptEntity[]): WebhookDeliveryDetail {
	return { ...packWebhookDelivery(row), body: JSON.parse(row.body) as WebhookDeliveryDetail['body'], attempts: attempts.map(packWebhookDeliveryAttempt) };
}

/** A user webhook's delivery as moderators see it: as its owner does, but the URL redacted (core/redact-url.ts). */
export function packWebhookDeliveryForModerators(row: WebhookDeliveryEntity): WebhookDelivery {
	return { ...packWebhookDelivery(row), url: redactWebhookUrl(row.url) };
}

/** A user webhook's delivery with its attempts as moderators see it: the URL redacted. */
export function packWebhookDeliveryDetailForModerators(row: WebhookDeliveryEntity, attempts: readonly WebhookDeliveryAttemptEntity[]): WebhookDeliveryDetail {
	return { ...packWebhookDeliveryDetail(row, attempts), url: redactWebhookUrl(row.url) };
}

function isoOrNull(date: Date | null): string | null {
	return date ? date.toISOString() : null;
}
