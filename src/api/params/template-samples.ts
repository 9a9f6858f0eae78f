import type { SystemWebhookEventType, UserWebhookEventType } from '../../events/catalogue.js';
import { dummyPackedNote, dummyUserLite, dummyUserWebhookBody } from '../packing/dummies.js';
import { dummySystemWebhookBody } from '../packing/system-dummies.js';

/**
 * The bodies a payload template is tried on before it is saved, per event type: the test endpoints' dummies (and for
 * `reaction`, which has none, a reaction to the dummy note), then the same with every non-empty list doubled, so a
 * section over a list that writes no separator between items is caught before a real list does it.
 */
export function templateSampleBodies(kind: 'user' | 'system', type: UserWebhookEventType | SystemWebhookEventType, now: Date): unknown[] {
	const body = kind === 'user' ? userSample(type as UserWebhookEventType, now) : dummySystemWebhookBody(type as SystemWebhookEventType);
	const doubled = withListsDoubled(body);
	return JSON.stringify(doubled) === JSON.stringify(body) ? [body] : [body, doubled];
}

function userSample(type: UserWebhookEventType, now: Date): unknown {
	return dummyUserWebhookBody(type, now) ?? { note: dummyPackedNote('dummyNote1', now), reaction: ':like@.:', user: dummyUserLite(2) };
}

function withListsDoubled(value: unknown): unknown {
	if (Array.isArray(value)) {
		const items = value.map(withListsDoubled);
		return items.length > 0 ? [...items, items[0]] : items;
	}
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withListsDoubled(inner)]));
}
