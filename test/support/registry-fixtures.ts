import { WebhookEntity } from '../../src/store/webhook.entity.js';
import { generateId } from '../../src/store/id.js';

/** A valid active webhook row held in memory; each test overrides only what it is about. */
export function webhookRow(overrides: Partial<WebhookEntity> = {}): WebhookEntity {
	return Object.assign(new WebhookEntity(), {
		id: generateId(),
		userId: 'owner1',
		name: 'hook',
		on: ['note'],
		url: 'https://receiver.example/hook',
		secret: 'secret',
		active: true,
		latestSentAt: null,
		latestStatus: null,
		...overrides,
	});
}
