// Generated from schemas/events/system/inactive-moderators-warning.json by npm run generate; do not edit.
/**
 * Body of an `inactiveModeratorsWarning` event: how long until the server turns invitation-only because no moderator was active.
 */
export interface InactiveModeratorsWarningWebhookBody {
	remainingTime: {
		/**
		 * Milliseconds left.
		 */
		time: number;
		/**
		 * The same in whole days.
		 */
		asDays: number;
		/**
		 * The same in whole hours.
		 */
		asHours: number;
	};
}
