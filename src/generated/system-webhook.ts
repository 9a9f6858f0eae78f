// Generated from schemas/system-webhook.json by npm run generate; do not edit.
/**
 * A system webhook as returned by `admin/system-webhook/*` (Misskey `SystemWebhook`); the secret is in clear text.
 */
export interface SystemWebhook {
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
	on: (
		| 'abuseReport'
		| 'abuseReportResolved'
		| 'userCreated'
		| 'inactiveModeratorsWarning'
		| 'inactiveModeratorsInvitationOnlyChanged'
	)[];
}
