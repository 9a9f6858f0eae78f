// Generated from schemas/abuse-report-payload.json by npm run generate; do not edit.
import type { UserLite } from './user-lite.js';

/**
 * An abuse report as the abuse events send it (Misskey `AbuseReportPayload`): the `abuse_user_report` row plus its three users packed as UserLite with no viewer. No `createdAt`.
 */
export interface AbuseReportPayload {
	id: string;
	/**
	 * The reported user.
	 */
	targetUserId: string;
	/**
	 * The reported user; null when it could not be packed.
	 */
	targetUser: UserLite | null;
	/**
	 * null for a local user.
	 */
	targetUserHost: string | null;
	reporterId: string;
	/**
	 * The reporting user; null when it could not be packed.
	 */
	reporter: UserLite | null;
	/**
	 * null for a local user.
	 */
	reporterHost: string | null;
	/**
	 * The moderator who resolved the report; null while unresolved.
	 */
	assigneeId: string | null;
	/**
	 * The assignee packed; null when there is none.
	 */
	assignee: UserLite | null;
	resolved: boolean;
	/**
	 * Whether the report was forwarded to the target user's server.
	 */
	forwarded: boolean;
	comment: string;
	moderationNote: string;
	/**
	 * How a moderator resolved it (Misskey `AbuseReportResolveType`); null while unresolved or when not given.
	 */
	resolvedAs: 'accept' | 'reject' | null;
}
