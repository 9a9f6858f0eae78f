import { SystemWebhookEntity } from '../../src/store/system-webhook.entity.js';
import { generateId } from '../../src/store/id.js';

/** A valid active system webhook row held in memory; each test overrides only what it is about. */
export function systemWebhookRow(overrides: Partial<SystemWebhookEntity> = {}): SystemWebhookEntity {
	return Object.assign(new SystemWebhookEntity(), {
		id: generateId(),
		isActive: true,
		updatedAt: new Date('2025-09-08T00:00:00.000Z'),
		latestSentAt: null,
		latestStatus: null,
		name: 'system hook',
		on: ['abuseReport'],
		url: 'https://receiver.example/system',
		secret: 'secret',
		...overrides,
	});
}
