import { defineEndpoint, fail, noContent } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { ReportRefusal } from '../services/abuse-reports.js';

const refusalErrors = {
	noSuchUser: endpointErrors.noSuchUserToReport,
	cannotReportYourself: endpointErrors.cannotReportYourself,
	cannotReportAdmin: endpointErrors.cannotReportAdmin,
} satisfies Record<ReportRefusal, unknown>;

/** `users/report-abuse`: files a report about a user and raises the module's `abuseReport`; 204 (as Misskey). */
export const usersReportAbuseEndpoint = defineEndpoint({
	name: 'users/report-abuse',
	requireCredential: true,
	params: {
		type: 'object',
		properties: {
			userId: { type: 'string', format: 'misskey:id' },
			comment: { type: 'string', minLength: 1, maxLength: 2048 },
		},
		required: ['userId', 'comment'],
	},
	async handler(params: { userId: string; comment: string }, me, services) {
		const reported = await services.abuseReports.report(me, params.userId, params.comment);
		return reported.ok ? noContent() : fail(refusalErrors[reported.reason]);
	},
});
