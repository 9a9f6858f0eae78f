// Generated from schemas/events/system/inactive-moderators-invitation-only-changed.json by npm run generate; do not edit.
/**
 * Body of an `inactiveModeratorsInvitationOnlyChanged` event: always the empty object; the event itself says the server turned invitation-only.
 */
export interface InactiveModeratorsInvitationOnlyChangedWebhookBody {}
