// Generated from schemas/user-webhook.json by npm run generate; do not edit.
import type { UserWebhookSummary } from './user-webhook-summary.js';
import type { WebhookOptions } from './webhook-options.js';

/**
 * A user webhook as returned by `i/webhooks/*` (Misskey `UserWebhook`, plus our `paused*` fields and delivery options); the secret is in clear text, the replaced secret of a rotation never.
 */
export type UserWebhook = UserWebhookSummary &
	WebhookOptions & {
		/**
		 * Not validated as a URL, like Misskey.
		 */
		url: string;
		/**
		 * In clear for the owner's own (native) token; `''` when withheld (see `secretWithheld`).
		 */
		secret: string;
		/**
		 * Our addition, not in Misskey: present when `list` or `show` answered an app (non-native) token, which never reads the secret; `secret` is then `''`.
		 */
		secretWithheld?: true;
		/**
		 * Our addition, not in Misskey: `note` events leave out direct (`specified`) notes.
		 */
		excludeSpecifiedNotes: boolean;
		/**
		 * Our addition, not in Misskey: `note` events leave out followers-only notes.
		 */
		excludeFollowersNotes: boolean;
	};
