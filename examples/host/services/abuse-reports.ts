import type { DataSource, EntityManager, Repository } from 'typeorm';
import { AbuseUserReportEntity, type AbuseReportResolveType, type UserEntity } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { UserService } from './users.js';

/** Why a report is refused (Misskey's `users/report-abuse` errors). */
export type ReportRefusal = 'noSuchUser' | 'cannotReportYourself' | 'cannotReportAdmin';

/** The row as the module's abuse events take it: every column, ids only (the module packs the users). */
function asEvent(report: AbuseUserReportEntity) {
	return {
		id: report.id,
		targetUserId: report.targetUserId,
		targetUserHost: report.targetUserHost,
		reporterId: report.reporterId,
		reporterHost: report.reporterHost,
		assigneeId: report.assigneeId,
		resolved: report.resolved,
		forwarded: report.forwarded,
		comment: report.comment,
		moderationNote: report.moderationNote,
		resolvedAs: report.resolvedAs,
	};
}

/** Abuse reports (Misskey `AbuseReportService`): filing raises `abuseReport`, resolving raises `abuseReportResolved`. */
export class AbuseReportService {
	private readonly reports: Repository<AbuseUserReportEntity>;

	constructor(private readonly dataSource: DataSource, private readonly userService: UserService, private readonly relay: EventRelay) {
		this.reports = dataSource.getRepository(AbuseUserReportEntity);
	}

	/** `reporter` reports `targetUserId`; an administrator cannot be reported, nor can one report oneself (Misskey). */
	async report(reporter: UserEntity, targetUserId: string, comment: string): Promise<Outcome<AbuseUserReportEntity, ReportRefusal>> {
		const target = await this.userService.findById(targetUserId);
		if (!target) return refused('noSuchUser');
		if (target.id === reporter.id) return refused('cannotReportYourself');
		if (target.isAdmin) return refused('cannotReportAdmin');
		const report = this.reports.create({
			id: generateHostId(),
			targetUserId: target.id,
			targetUserHost: target.host,
			reporterId: reporter.id,
			reporterHost: reporter.host,
			assigneeId: null,
			resolved: false,
			forwarded: false,
			comment,
			moderationNote: '',
			resolvedAs: null,
		});
		await this.dataSource.transaction(async (manager) => {
			await manager.insert(AbuseUserReportEntity, report);
			await this.relay.inTransaction(manager, (events, options) => events.abuseReport(asEvent(report), options));
		});
		return succeeded(report);
	}

	/** A moderator resolves a report: resolved, assigned to them, `resolvedAs` as given; raises `abuseReportResolved` with the re-read row. */
	async resolve(moderator: UserEntity, reportId: string, resolvedAs: AbuseReportResolveType | null): Promise<Outcome<AbuseUserReportEntity, 'noSuchReport'>> {
		const report = await this.dataSource.transaction(async (manager) => {
			const updated = await manager.update(AbuseUserReportEntity, { id: reportId }, { resolved: true, assigneeId: moderator.id, resolvedAs });
			if (!updated.affected) return null;
			const resolved = await manager.findOneByOrFail(AbuseUserReportEntity, { id: reportId });
			await this.relay.inTransaction(manager, (events, options) => events.abuseReportResolved(asEvent(resolved), options));
			if (resolvedAs === 'accept') await this.resolveDuplicates(manager, resolved);
			return resolved;
		});
		return report ? succeeded(report) : refused('noSuchReport');
	}

	/**
	 * This host's rule: once a moderator accepts a report, the other open reports about the same user are resolved the
	 * same way, with no assignee and a moderation note naming the report, each raising `abuseReportAutoResolved`.
	 */
	private async resolveDuplicates(manager: EntityManager, accepted: AbuseUserReportEntity): Promise<void> {
		const open = await manager.findBy(AbuseUserReportEntity, { targetUserId: accepted.targetUserId, resolved: false });
		for (const report of open) {
			await manager.update(AbuseUserReportEntity, { id: report.id }, { resolved: true, resolvedAs: 'accept', moderationNote: `Resolved with report ${accepted.id}.` });
			const resolved = await manager.findOneByOrFail(AbuseUserReportEntity, { id: report.id });
			await this.relay.inTransaction(manager, (events, options) => events.abuseReportAutoResolved(asEvent(resolved), options));
		}
	}
}
