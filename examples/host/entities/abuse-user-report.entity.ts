import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How a moderator resolved a report (Misskey `AbuseReportResolveType`). */
export const abuseReportResolveTypes = ['accept', 'reject'] as const;
export type AbuseReportResolveType = typeof abuseReportResolveTypes[number];

/** A user's report about another user (a slice of Misskey's `abuse_user_report`; ids are time-based, so no createdAt). */
@Entity('abuse_user_report')
export class AbuseUserReportEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_abuse_user_report_id' })
	id!: string;

	@Index('IDX_abuse_user_report_targetUserId')
	@Column({ type: 'varchar', length: 32 })
	targetUserId!: string;

	@Column({ type: 'varchar', length: 512, nullable: true })
	targetUserHost!: string | null;

	@Index('IDX_abuse_user_report_reporterId')
	@Column({ type: 'varchar', length: 32 })
	reporterId!: string;

	@Column({ type: 'varchar', length: 512, nullable: true })
	reporterHost!: string | null;

	/** The moderator who resolved it. */
	@Column({ type: 'varchar', length: 32, nullable: true })
	assigneeId!: string | null;

	@Column({ type: 'boolean', default: false })
	resolved!: boolean;

	@Column({ type: 'boolean', default: false })
	forwarded!: boolean;

	@Column({ type: 'varchar', length: 2048 })
	comment!: string;

	@Column({ type: 'varchar', length: 8192, default: '' })
	moderationNote!: string;

	@Column({ type: 'varchar', length: 128, nullable: true })
	resolvedAs!: AbuseReportResolveType | null;
}
