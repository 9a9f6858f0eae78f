// Generated from schemas/system-event-type.json by npm run generate; do not edit.
/**
 * A system webhook event type: what a system webhook subscribes to (`on`) and what its envelope names (`type`).
 */
export type SystemEventType =
	| 'abuseReport'
	| 'abuseReportResolved'
	| 'userCreated'
	| 'inactiveModeratorsWarning'
	| 'inactiveModeratorsInvitationOnlyChanged'
	| 'userWebhookDisabled'
	| 'abuseReportAutoResolved';
