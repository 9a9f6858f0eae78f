import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reference host's abuse-report notification recipients (see ../entities/). Timed after the module's
 * `system_webhook` migration: a recipient's system webhook is a foreign key with Misskey's cascade, so deleting the
 * webhook deletes its recipients.
 */
export class HostAbuseReportRecipients1700000200100 implements MigrationInterface {
	name = 'HostAbuseReportRecipients1700000200100';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "abuse_report_notification_recipient" (
			"id" character varying(32) NOT NULL,
			"isActive" boolean NOT NULL DEFAULT true,
			"updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
			"name" character varying(255) NOT NULL,
			"method" character varying(64) NOT NULL,
			"userId" character varying(32),
			"systemWebhookId" character varying(32),
			CONSTRAINT "PK_abuse_report_notification_recipient_id" PRIMARY KEY ("id"),
			CONSTRAINT "FK_abuse_report_notification_recipient_userId1" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
			CONSTRAINT "FK_abuse_report_notification_recipient_systemWebhookId" FOREIGN KEY ("systemWebhookId") REFERENCES "system_webhook"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_report_notification_recipient_isActive" ON "abuse_report_notification_recipient" ("isActive")`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_report_notification_recipient_method" ON "abuse_report_notification_recipient" ("method")`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_report_notification_recipient_userId" ON "abuse_report_notification_recipient" ("userId")`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_report_notification_recipient_systemWebhookId" ON "abuse_report_notification_recipient" ("systemWebhookId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "abuse_report_notification_recipient"`);
	}
}
