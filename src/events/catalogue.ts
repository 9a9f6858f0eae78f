/** User webhook event types, in Misskey's order (Misskey `webhookEventTypes`). */
export const userWebhookEventTypes = ['mention', 'unfollow', 'follow', 'followed', 'note', 'reply', 'renote', 'reaction'] as const;
export type UserWebhookEventType = typeof userWebhookEventTypes[number];

export function isUserWebhookEventType(value: string): value is UserWebhookEventType {
	return (userWebhookEventTypes as readonly string[]).includes(value);
}
