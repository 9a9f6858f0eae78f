/** Which table a webhook lives in: `webhook` (a user's) or `system_webhook` (the moderators'). */
export type WebhookKindName = 'user' | 'system';
