// Generated from schemas/system-webhook.json by npm run generate; do not edit.
import type { SystemEventType } from './system-event-type.js';
import type { WebhookOptions } from './webhook-options.js';

/**
 * A system webhook as returned by `admin/system-webhook/*` (Misskey `SystemWebhook`, plus our `paused*` fields and delivery options); the secret is in clear text, the replaced secret of a rotation never.
 */
export type SystemWebhook = WebhookOptions & {
	id: string;
	isActive: boolean;
	/**
	 * Time of the last create or update through the API.
	 */
	updatedAt: string;
	/**
	 * Time of the last attempt.
	 */
	latestSentAt: string | null;
	/**
	 * HTTP status of the last attempt; 1 for a failure without a response (Misskey declares it a number, not an integer).
	 */
	latestStatus: number | null;
	name: string;
	/**
	 * Not validated as a URL, like Misskey.
	 */
	url: string;
	secret: string;
	on: SystemEventType[];
	/**
	 * Our addition, not in Misskey: who paused the webhook (`isActive` false), null when it is not paused. `auto`: the module paused it after every delivery failed for the auto-disable window; `gone`: the module paused it when the receiver answered 410 Gone; a moderator's `isActive: true` lifts either.
	 */
	pausedBy: 'auto' | 'gone' | null;
	/**
	 * Our addition, not in Misskey: why the module paused it, null when it is not paused.
	 */
	pausedReason: string | null;
	/**
	 * Our addition, not in Misskey: when the webhook was paused, null when it is not paused.
	 */
	pausedAt: string | null;
};
