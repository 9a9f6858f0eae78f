import type { DataSource } from 'typeorm';
import type { WebhookKindName } from '../core/webhook-kind.js';

/** What one bucket of time saw of a webhook's attempts. */
export interface DeliveryStatsBucket {
	/** The bucket's start, ISO; it runs for an hour (`hours`) or a day (`days`). */
	start: string;
	/** Attempts answered 2xx. */
	delivered: number;
	/** Attempts that failed with a retry scheduled after them. */
	retried: number;
	/** Attempts that failed with none: the schedule's last, or a manual one. */
	failed: number;
}

/** A webhook's attempts over the last 24 hours (24 hourly buckets) and 14 days (14 daily ones), oldest first. */
export interface DeliveryStats {
	hours: DeliveryStatsBucket[];
	days: DeliveryStatsBucket[];
}

const HOUR_MS = 3600_000;
/** The retention's default: older attempts are pruned anyway. */
const DAYS = 14;
const HOURS = 24;

/**
 * Counts a webhook's attempts from the attempt log in ONE query, bounded by the 14-day window: at most 336 rows (one
 * per hour with attempts), folded here into both series. Buckets are rolling, counted back from `now`, so no time zone
 * is involved.
 */
export async function deliveryStats(dataSource: DataSource, kind: WebhookKindName, webhookId: string, now: Date): Promise<DeliveryStats> {
	const rows: Array<{ hoursAgo: number; delivered: number; retried: number; failed: number }> = await dataSource.query(
		`SELECT floor(extract(epoch FROM ($3::timestamptz - a."startedAt")) / 3600)::int AS "hoursAgo",
			count(*) FILTER (WHERE a."status" BETWEEN 200 AND 299)::int AS "delivered",
			count(*) FILTER (WHERE (a."status" IS NULL OR a."status" NOT BETWEEN 200 AND 299) AND a."nextAttemptAt" IS NOT NULL)::int AS "retried",
			count(*) FILTER (WHERE (a."status" IS NULL OR a."status" NOT BETWEEN 200 AND 299) AND a."nextAttemptAt" IS NULL)::int AS "failed"
		FROM "webhook_delivery_attempt" a JOIN "webhook_delivery" d ON d."id" = a."deliveryId"
		WHERE d."webhookKind" = $1 AND d."webhookId" = $2
			AND a."startedAt" > $3::timestamptz - make_interval(days => $4) AND a."startedAt" <= $3::timestamptz
		GROUP BY 1`,
		[kind, webhookId, now.toISOString(), DAYS],
	);
	const bucket = (start: number): DeliveryStatsBucket => ({ start: new Date(start).toISOString(), delivered: 0, retried: 0, failed: 0 });
	// Index 0 is the oldest bucket: hour i starts (24 − i) hours before now.
	const hours = Array.from({ length: HOURS }, (_, i) => bucket(now.getTime() - (HOURS - i) * HOUR_MS));
	const days = Array.from({ length: DAYS }, (_, i) => bucket(now.getTime() - (DAYS - i) * HOURS * HOUR_MS));
	for (const row of rows) {
		const hoursAgo = Math.max(0, row.hoursAgo);
		const targets = [days[DAYS - 1 - Math.floor(hoursAgo / HOURS)], hoursAgo < HOURS ? hours[HOURS - 1 - hoursAgo] : undefined];
		for (const target of targets) {
			if (target === undefined) continue;
			target.delivered += row.delivered;
			target.retried += row.retried;
			target.failed += row.failed;
		}
	}
	return { hours, days };
}
