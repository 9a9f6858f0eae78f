import { defineEndpoint, fail, noContent } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import { abuseReportResolveTypes, type AbuseReportResolveType } from '../entities/index.js';

/**
 * `admin/resolve-abuse-user-report` (moderators only): marks a report resolved, assigned to the caller, with
 * `resolvedAs`, and raises the module's `abuseReportResolved`; 204 (as Misskey).
 */
export const adminResolveAbuseUserReportEndpoint = defineEndpoint({
	name: 'admin/resolve-abuse-user-report',
	requireCredential: true,
	requireModerator: true,
	params: {
		type: 'object',
		properties: {
			reportId: { type: 'string', format: 'misskey:id' },
			resolvedAs: { type: 'string', nullable: true, enum: [...abuseReportResolveTypes, null] },
		},
		required: ['reportId'],
	},
	async handler(params: { reportId: string; resolvedAs?: AbuseReportResolveType | null }, me, services) {
		const resolved = await services.abuseReports.resolve(me, params.reportId, params.resolvedAs ?? null);
		return resolved.ok ? noContent() : fail(endpointErrors.noSuchAbuseReport);
	},
});
