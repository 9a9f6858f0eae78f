/** User webhook event types, in Misskey's order (Misskey `webhookEventTypes`). */
export const userWebhookEventTypes = ['mention', 'unfollow', 'follow', 'followed', 'note', 'reply', 'renote', 'reaction'] as const;
export type UserWebhookEventType = typeof userWebhookEventTypes[number];

export function isUserWebhookEventType(value: string): value is UserWebhookEventType {
	return (userWebhookEventTypes as readonly string[]).includes(value);
}

/**
 * System webhook event types: Misskey's five in Misskey's order (Misskey `systemWebhookEventTypes`), then ours,
 * `userWebhookDisabled` (the module paused a user's webhook).
 */
export const systemWebhookEventTypes = ['abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged', 'userWebhookDisabled'] as const;
export type SystemWebhookEventType = typeof systemWebhookEventTypes[number];

/** Whether `value` names a system webhook event. */
export function isSystemWebhookEventType(value: string): value is SystemWebhookEventType {
	return (systemWebhookEventTypes as readonly string[]).includes(value);
}
