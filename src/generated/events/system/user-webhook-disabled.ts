// Generated from schemas/events/system/user-webhook-disabled.json by npm run generate; do not edit.
import type { UserLite } from '../../user-lite.js';

/**
 * Body of a `userWebhookDisabled` event (ours, not Misskey's): the module paused a user's webhook because its receiver answered 410 Gone or every delivery failed for the auto-disable window. The webhook's secret is never included.
 */
export interface UserWebhookDisabledWebhookBody {
	/**
	 * The paused webhook as its owner named it.
	 */
	webhook: {
		id: string;
		/**
		 * The owner.
		 */
		userId: string;
		name: string;
		/**
		 * The webhook's URL redacted: its scheme and host, then `/(redacted)`. The rest of a URL is often the receiver's credential (a Discord or Slack webhook's token, a Telegram bot token, a Teams or Google Chat signature), so it is never sent in this event.
		 */
		url: string;
	};
	/**
	 * The owner as UserLite; null when the host could not pack the user.
	 */
	user: UserLite | null;
	/**
	 * Why it was paused, in words; the owner sees the same text as `pausedReason`.
	 */
	reason: string;
	/**
	 * `auto`: every delivery failed for the window and the last one exhausted its retries; `gone`: the receiver answered 410 Gone.
	 */
	pausedBy: 'auto' | 'gone';
}
