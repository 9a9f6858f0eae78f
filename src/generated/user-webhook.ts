// Generated from schemas/user-webhook.json by npm run generate; do not edit.
/**
 * A user webhook as returned by `i/webhooks/*` (Misskey `UserWebhook`); the secret is in clear text.
 */
export interface UserWebhook {
	id: string;
	userId: string;
	name: string;
	on: ('mention' | 'unfollow' | 'follow' | 'followed' | 'note' | 'reply' | 'renote' | 'reaction')[];
	/**
	 * Not validated as a URL, like Misskey.
	 */
	url: string;
	secret: string;
	active: boolean;
	/**
	 * Time of the last attempt.
	 */
	latestSentAt: string | null;
	/**
	 * HTTP status of the last attempt; 1 for a failure without a response.
	 */
	latestStatus: number | null;
}
