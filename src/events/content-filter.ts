import type { WebhookFilter } from '../generated/webhook-filter.js';
import { filterTestOf } from '../filter/compile-filter.js';

/** Webhooks a content filter kept out of one planned delivery: of which kind, for which event type, how many. */
export interface FilteredOut {
	kind: 'user' | 'system';
	type: string;
	count: number;
}

/** A webhook as the content filter reads it: its filter, null for none. */
export interface FilteredWebhook {
	filter?: WebhookFilter | null;
}

/**
 * The matched webhooks whose filter lets `body` through, and how many it kept out. Run on the packed body, before a
 * delivery is planned, so a refused event is never queued nor logged. The list itself is handed back when no webhook
 * has a filter, so the common case allocates nothing.
 */
export function webhooksPassingFilters<Webhook extends FilteredWebhook>(webhooks: readonly Webhook[], body: unknown): { passing: readonly Webhook[]; filteredOut: number } {
	if (!webhooks.some((webhook) => webhook.filter)) return { passing: webhooks, filteredOut: 0 };
	const passing = webhooks.filter((webhook) => !webhook.filter || filterTestOf(webhook.filter)(body));
	return { passing, filteredOut: webhooks.length - passing.length };
}

/** Whether one body passes one filter (null: no filter, everything passes): what `i/webhooks/test` answers. */
export function passesFilter(filter: WebhookFilter | null | undefined, body: unknown): boolean {
	return !filter || filterTestOf(filter)(body);
}
