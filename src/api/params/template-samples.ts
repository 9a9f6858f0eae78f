import type { SystemWebhookEventType, UserWebhookEventType } from '../../events/catalogue.js';
import { dummyPackedNote, dummyUserLite, dummyUserWebhookBody } from '../packing/dummies.js';
import { dummySystemWebhookBody } from '../packing/system-dummies.js';

/**
 * The bodies a payload template is tried on before it is saved, per event type: the test endpoints' dummies (and for
 * `reaction`, which has none, a reaction to the dummy note), then the same with a file and tags on each note and every
 * list with two items, so a section over a list that writes no separator between items is caught before a real list
 * does it.
 */
export function templateSampleBodies(kind: 'user' | 'system', type: UserWebhookEventType | SystemWebhookEventType, now: Date): unknown[] {
	const body = kind === 'user' ? userSample(type as UserWebhookEventType, now) : dummySystemWebhookBody(type as SystemWebhookEventType);
	return [body, withListsDoubled(withNoteLists(body, now))];
}

function userSample(type: UserWebhookEventType, now: Date): unknown {
	return dummyUserWebhookBody(type, now) ?? { note: dummyPackedNote('dummyNote1', now), reaction: ':like@.:', user: dummyUserLite(2) };
}

// The dummies' notes have no files or tags; a note with both, so sections over them are tried.
function withNoteLists(body: unknown, now: Date): unknown {
	if (body === null || typeof body !== 'object' || !('note' in body) || body.note === null || typeof body.note !== 'object') return body;
	const file = {
		id: 'dummy-file-1', createdAt: now.toISOString(), name: 'dummy.png', type: 'image/png', md5: '0'.repeat(32), size: 1024,
		isSensitive: false, blurhash: null, properties: {}, url: 'https://misskey.example/files/dummy.png', thumbnailUrl: null,
		comment: null, folderId: null, userId: null,
	};
	return { ...body, note: { ...body.note, fileIds: [file.id], files: [file], tags: ['dummy'] } };
}

function withListsDoubled(value: unknown): unknown {
	if (Array.isArray(value)) {
		const items = value.map(withListsDoubled);
		return items.length > 0 ? [...items, items[0]] : items;
	}
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withListsDoubled(inner)]));
}
