import type { HostAdapter } from '../host.js';
import type { AbuseReportPayload } from '../generated/abuse-report-payload.js';
import type { UserLite } from '../generated/user-lite.js';
import type { AbuseReportEvent } from './system-event-types.js';

/**
 * The body of `abuseReport` and `abuseReportResolved`: the report with its three users packed as UserLite. Like Misskey,
 * the users are packed at once and any the host cannot pack is null (`onUserFailure` hears why).
 */
export async function packAbuseReportBody(row: AbuseReportEvent, host: Pick<HostAdapter, 'packUserLite'>, onUserFailure: (error: unknown) => void): Promise<AbuseReportPayload> {
	const packed = new Map<string, Promise<UserLite | null>>();
	const userLite = (id: string | null): Promise<UserLite | null> => {
		if (id === null) return Promise.resolve(null);
		let user = packed.get(id);
		if (!user) {
			user = host.packUserLite(id).catch((error: unknown) => {
				onUserFailure(error);
				return null;
			});
			packed.set(id, user);
		}
		return user;
	};
	const [targetUser, reporter, assignee] = await Promise.all([userLite(row.targetUserId), userLite(row.reporterId), userLite(row.assigneeId)]);
	// Keys in the order Misskey's body has them: it spreads the report entity, whose fields come in declaration order
	// (the test endpoint's dummy report orders them otherwise, and keeps its own order).
	return {
		id: row.id,
		targetUserId: row.targetUserId,
		targetUser,
		reporterId: row.reporterId,
		reporter,
		assigneeId: row.assigneeId,
		assignee,
		resolved: row.resolved,
		forwarded: row.forwarded,
		comment: row.comment,
		moderationNote: row.moderationNote ?? '',
		resolvedAs: row.resolvedAs,
		targetUserHost: row.targetUserHost,
		reporterHost: row.reporterHost,
	};
}
