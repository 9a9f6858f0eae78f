import type { DataSource } from 'typeorm';
import type { WebhookKindName } from '../core/webhook-kind.js';

/** Unfinished outbox rows per kind, for the metrics scrape; one index scan. */
export async function pendingDeliveriesByKind(dataSource: DataSource, queuePrefix: string): Promise<Map<WebhookKindName, number>> {
	const rows = await dataSource.query(
		`SELECT "webhookKind" AS "kind", count(*)::int AS "pending" FROM "webhook_delivery" WHERE "status" = 'pending' AND "queuePrefix" = $1 AND "webhookKind" IN ('user', 'system') GROUP BY "webhookKind"`,
		[queuePrefix],
	) as Array<{ kind: WebhookKindName; pending: number }>;
	return new Map(rows.map((row) => [row.kind, row.pending]));
}
