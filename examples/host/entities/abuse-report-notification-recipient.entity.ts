import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How a recipient is told of a report (Misskey `RecipientMethod`). */
export const abuseReportRecipientMethods = ['email', 'webhook'] as const;
export type AbuseReportRecipientMethod = typeof abuseReportRecipientMethods[number];

/**
 * Who is told of abuse reports (Misskey's `abuse_report_notification_recipient`): a moderator by e-mail (`userId`), or a
 * system webhook (`systemWebhookId`). A `webhook` recipient switched off (`isActive` false) keeps its system webhook out
 * of the module's abuse-report events.
 */
@Entity('abuse_report_notification_recipient')
export class AbuseReportNotificationRecipientEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_abuse_report_notification_recipient_id' })
	id!: string;

	@Index('IDX_abuse_report_notification_recipient_isActive')
	@Column({ type: 'boolean', default: true })
	isActive!: boolean;

	@Column({ type: 'timestamp with time zone', default: () => 'now()' })
	updatedAt!: Date;

	@Column({ type: 'varchar', length: 255 })
	name!: string;

	@Index('IDX_abuse_report_notification_recipient_method')
	@Column({ type: 'varchar', length: 64 })
	method!: AbuseReportRecipientMethod;

	@Index('IDX_abuse_report_notification_recipient_userId')
	@Column({ type: 'varchar', length: 32, nullable: true, default: null })
	userId!: string | null;

	@Index('IDX_abuse_report_notification_recipient_systemWebhookId')
	@Column({ type: 'varchar', length: 32, nullable: true, default: null })
	systemWebhookId!: string | null;
}
