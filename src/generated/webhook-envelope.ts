// Generated from schemas/webhook-envelope.json by npm run generate; do not edit.
/**
 * The JSON body POSTed to a user webhook's URL; `body` depends on `type`.
 */
export interface UserWebhookEnvelope {
	/**
	 * The server's origin, without trailing slash.
	 */
	server: string;
	hookId: string;
	/**
	 * The webhook owner's id.
	 */
	userId: string;
	/**
	 * Per delivery job; stable across its retries.
	 */
	eventId: string;
	/**
	 * Enqueue time in epoch milliseconds.
	 */
	createdAt: number;
	type:
		| 'mention'
		| 'unfollow'
		| 'follow'
		| 'followed'
		| 'note'
		| 'reply'
		| 'renote'
		| 'reaction'
		| 'noteEdited'
		| 'noteDeleted'
		| 'followRequestReceived'
		| 'followRequestAccepted';
	/**
	 * The event payload; its schema depends on `type`.
	 */
	body: {
		[k: string]: unknown;
	};
}
