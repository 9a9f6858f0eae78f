// Generated from schemas/system-webhook-envelope.json by npm run generate; do not edit.
import type { SystemEventType } from './system-event-type.js';

/**
 * The JSON body POSTed to a system webhook's URL: the user envelope without `userId`; `body` depends on `type`.
 */
export interface SystemWebhookEnvelope {
	/**
	 * The server's origin, without trailing slash.
	 */
	server: string;
	hookId: string;
	/**
	 * Per delivery job; stable across its retries.
	 */
	eventId: string;
	/**
	 * Enqueue time in epoch milliseconds.
	 */
	createdAt: number;
	type: SystemEventType;
	/**
	 * The event payload; its schema depends on `type`.
	 */
	body: {
		[k: string]: unknown;
	};
}
