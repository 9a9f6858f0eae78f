/** An API error as Misskey declares one: stable code and id, message, HTTP status and kind. */
export interface ApiErrorDefinition {
	code: string;
	id: string;
	message: string;
	httpStatus: number;
	kind: 'client' | 'permission' | 'server';
}

const clientError = (code: string, id: string, message: string): ApiErrorDefinition => ({ code, id, message, httpStatus: 400, kind: 'client' });

/** Errors of the calling convention itself (Misskey ApiCallService), with Misskey's ids. */
export const conventionErrors = {
	authenticationFailed: { code: 'AUTHENTICATION_FAILED', id: 'b0a7f5f8-dc2f-4171-b91f-de88ad238e14', message: 'Authentication failed. Please ensure your token is correct.', httpStatus: 401, kind: 'client' },
	credentialRequired: { code: 'CREDENTIAL_REQUIRED', id: '1384574d-a912-4b81-8601-c7b1c4085df1', message: 'Credential required.', httpStatus: 401, kind: 'client' },
	rolePermissionDenied: { code: 'ROLE_PERMISSION_DENIED', id: 'd33d5333-db36-423d-a8f9-1a2b9549da41', message: 'You are not assigned to a moderator role.', httpStatus: 403, kind: 'permission' },
	invalidParam: clientError('INVALID_PARAM', '3d81ceae-475f-4600-b2a8-2bc116157532', 'Invalid param.'),
	internalError: { code: 'INTERNAL_ERROR', id: '5d37dbcb-891e-41ca-a3d6-e690c97775ac', message: 'Internal error occurred. Please contact us if the error persists.', httpStatus: 500, kind: 'server' },
} satisfies Record<string, ApiErrorDefinition>;

/** Endpoint errors: Misskey's ids where Misskey has the endpoint, otherwise fixed ids of this host. */
export const endpointErrors = {
	// signup / signin (Misskey serves these outside the API convention; the ids here are this host's own).
	usernameTaken: clientError('USERNAME_TAKEN', '7d1ee5d2-64d4-4b4e-9f3c-2a3f0c1e8a51', 'The username is already taken.'),
	invalidCredentials: { code: 'INVALID_CREDENTIALS', id: 'e03a5f46-d309-4865-9b69-56282d94e1eb', message: 'Wrong username or password.', httpStatus: 403, kind: 'permission' } satisfies ApiErrorDefinition,
	// users/show
	noSuchUserToShow: clientError('NO_SUCH_USER', '4362f8dc-731f-4ad8-a694-be5a88922a24', 'No such user.'),
	// notes/create
	noSuchReplyTarget: clientError('NO_SUCH_REPLY_TARGET', '749ee0f6-d3da-459a-bf02-282e2da4292c', 'No such reply target.'),
	noSuchRenoteTarget: clientError('NO_SUCH_RENOTE_TARGET', 'b5c90186-4ab0-49c8-9bba-a1f76c282ba4', 'No such renote target.'),
	cannotReplyToPureRenote: clientError('CANNOT_REPLY_TO_A_PURE_RENOTE', '3ac74a84-8fd5-4bb0-870f-01804f82ce15', 'You can not reply to a pure Renote.'),
	cannotReplyToSpecifiedNoteWithExtendedVisibility: clientError('CANNOT_REPLY_TO_SPECIFIED_VISIBILITY_NOTE_WITH_EXTENDED_VISIBILITY', 'ed940410-535c-4d5e-bfa3-af798671e93c', 'You cannot reply to a specified visibility note with extended visibility.'),
	cannotRenotePureRenote: clientError('CANNOT_RENOTE_TO_A_PURE_RENOTE', 'fd4cc33e-2a37-48dd-99cc-9b806eb2031a', 'You can not Renote a pure Renote.'),
	contentRequired: clientError('CONTENT_REQUIRED', '6f57e42b-c348-439b-bc45-993995cc515a', 'Content required. You need to set text, fileIds, renoteId or poll.'),
	noSuchFile: clientError('NO_SUCH_FILE', 'b6992544-63e7-67f0-fa7f-32444b1b5306', 'Some files are not found.'),
	cannotCreateAlreadyExpiredPoll: clientError('CANNOT_CREATE_ALREADY_EXPIRED_POLL', '04da457d-b083-4055-9082-955525eda5a5', 'Poll is already expired.'),
	noSuchChannel: clientError('NO_SUCH_CHANNEL', 'b1653923-5453-4edc-b786-7c4f39bb0bbb', 'No such channel.'),
	// following/create
	noSuchUserToFollow: clientError('NO_SUCH_USER', 'fcd2eef9-a9b2-4c4f-8624-038099e90aa5', 'No such user.'),
	followeeIsYourselfOnFollow: clientError('FOLLOWEE_IS_YOURSELF', '26fbe7bb-a331-4857-af17-205b426669a9', 'Followee is yourself.'),
	alreadyFollowing: clientError('ALREADY_FOLLOWING', '35387507-38c7-4cb9-9197-300b93783fa0', 'You are already following that user.'),
	// following/delete
	noSuchUserToUnfollow: clientError('NO_SUCH_USER', '5b12c78d-2b28-4dca-99d2-f56139b42ff8', 'No such user.'),
	followeeIsYourselfOnUnfollow: clientError('FOLLOWEE_IS_YOURSELF', 'd9e400b9-36b0-4808-b1d8-79e707f1296c', 'Followee is yourself.'),
	notFollowing: clientError('NOT_FOLLOWING', '5dbf82f5-c92b-40b1-87d1-6c8c0741fd09', 'You are not following that user.'),
	// notes/reactions/create
	noSuchNoteToReact: clientError('NO_SUCH_NOTE', '033d0620-5bfe-4027-965d-980b0c85a3ea', 'No such note.'),
	alreadyReacted: clientError('ALREADY_REACTED', '71efcf98-86d6-4e2b-b2ad-9d032369366b', 'You are already reacting to that note.'),
	// notes/thread-muting/create
	noSuchNoteToMute: clientError('NO_SUCH_NOTE', '5ff67ada-ed3b-2e71-8e87-a1a421e177d2', 'No such note.'),
	// users/report-abuse
	// notes/delete (notes/edit, which Misskey lacks, answers the same)
	noSuchNoteToDelete: clientError('NO_SUCH_NOTE', '490be23f-8c1f-4796-819f-94cb4f9d1630', 'No such note.'),
	accessDeniedToDelete: { code: 'ACCESS_DENIED', id: 'fe8d7103-0ea8-4ec3-814d-f8b401dc69e9', message: 'Access denied.', httpStatus: 400, kind: 'client' } satisfies ApiErrorDefinition,
	// following/requests/accept and reject
	noSuchUserToAccept: clientError('NO_SUCH_USER', '66ce1645-d66c-46bb-8b79-96739af885bd', 'No such user.'),
	noFollowRequest: clientError('NO_FOLLOW_REQUEST', 'bcde4f8b-0913-4614-8881-614e522fb041', 'No follow request.'),
	noSuchUserToReject: clientError('NO_SUCH_USER', 'abc2ffa6-25b2-4380-ba99-321ff3a94555', 'No such user.'),
	noSuchUserToReport: clientError('NO_SUCH_USER', '1acefcb5-0959-43fd-9685-b48305736cb5', 'No such user.'),
	cannotReportYourself: clientError('CANNOT_REPORT_YOURSELF', '1e13149e-b1e8-43cf-902e-c01dbfcb202f', 'Cannot report yourself.'),
	cannotReportAdmin: clientError('CANNOT_REPORT_THE_ADMIN', '35e166f5-05fb-4f87-a2d5-adb42676d48f', 'Cannot report the admin.'),
	// admin/resolve-abuse-user-report
	noSuchAbuseReport: clientError('NO_SUCH_ABUSE_REPORT', 'ac3794dd-2ce4-d878-e546-73c60c06b398', 'No such abuse report.'),
	// admin/abuse-report/notification-recipient/create and update (Misskey fails with a 500 for a system webhook that does not
	// exist; this host answers the error `admin/system-webhook/*` give for one)
	correlationCheckEmail: clientError('CORRELATION_CHECK_EMAIL', '348bb8ae-575a-6fe9-4327-5811999def8f', 'If "method" is email, "userId" must be set.'),
	correlationCheckWebhook: clientError('CORRELATION_CHECK_WEBHOOK', 'b0c15051-de2d-29ef-260c-9585cddd701a', 'If "method" is webhook, "systemWebhookId" must be set.'),
	emailAddressNotSet: clientError('EMAIL_ADDRESS_NOT_SET', '7cc1d85e-2f58-fc31-b644-3de8d0d3421f', 'Email address is not set.'),
	noSuchSystemWebhookForRecipient: { code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '38dd1ffe-04b4-6ff5-d8ba-4e6a6ae22c9d', message: 'No such SystemWebhook.', httpStatus: 404, kind: 'server' } satisfies ApiErrorDefinition,
	// admin/abuse-report/notification-recipient/show and update (Misskey's update fails with a 500 for an unknown id)
	noSuchRecipient: { code: 'NO_SUCH_RECIPIENT', id: '013de6a8-f757-04cb-4d73-cc2a7e3368e4', message: 'No such recipient.', httpStatus: 404, kind: 'server' } satisfies ApiErrorDefinition,
} satisfies Record<string, ApiErrorDefinition>;
