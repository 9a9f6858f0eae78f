import type { HostEndpoint } from '../api/endpoint.js';
import { followingCreateEndpoint } from './following-create.js';
import { followingDeleteEndpoint } from './following-delete.js';
import { iEndpoint } from './i.js';
import { iUpdateEndpoint } from './i-update.js';
import { notesDeleteEndpoint, notesEditEndpoint } from './notes-delete-and-edit.js';
import { followingRequestsAcceptEndpoint, followingRequestsRejectEndpoint } from './following-requests.js';
import { notesCreateEndpoint } from './notes-create.js';
import { notesReactionsCreateEndpoint } from './notes-reactions-create.js';
import { notesThreadMutingCreateEndpoint } from './notes-thread-muting-create.js';
import { signinEndpoint } from './signin.js';
import { signupEndpoint } from './signup.js';
import { usersShowEndpoint } from './users-show.js';
import { usersReportAbuseEndpoint } from './users-report-abuse.js';
import { adminResolveAbuseUserReportEndpoint } from './admin-resolve-abuse-user-report.js';
import { adminShowModerationLogsEndpoint } from './admin-show-moderation-logs.js';
import {
	adminAbuseReportRecipientCreateEndpoint,
	adminAbuseReportRecipientDeleteEndpoint,
	adminAbuseReportRecipientListEndpoint,
	adminAbuseReportRecipientShowEndpoint,
	adminAbuseReportRecipientUpdateEndpoint,
} from './admin-abuse-report-notification-recipient.js';

/** Every endpoint of the reference host (the module serves `i/webhooks/*` and `admin/system-webhook/*` itself). */
export const hostEndpoints: ReadonlyArray<HostEndpoint<never>> = [
	signupEndpoint,
	signinEndpoint,
	iEndpoint,
	iUpdateEndpoint,
	usersShowEndpoint,
	notesCreateEndpoint,
	notesDeleteEndpoint,
	notesEditEndpoint,
	followingCreateEndpoint,
	followingDeleteEndpoint,
	followingRequestsAcceptEndpoint,
	followingRequestsRejectEndpoint,
	notesReactionsCreateEndpoint,
	notesThreadMutingCreateEndpoint,
	usersReportAbuseEndpoint,
	adminResolveAbuseUserReportEndpoint,
	adminShowModerationLogsEndpoint,
	adminAbuseReportRecipientCreateEndpoint,
	adminAbuseReportRecipientUpdateEndpoint,
	adminAbuseReportRecipientDeleteEndpoint,
	adminAbuseReportRecipientListEndpoint,
	adminAbuseReportRecipientShowEndpoint,
];
