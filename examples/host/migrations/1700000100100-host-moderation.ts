import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The reference host's abuse reports and moderation log: `abuse_user_report`, `moderation_log` (see ../entities/). */
export class HostModeration1700000100100 implements MigrationInterface {
	name = 'HostModeration1700000100100';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "abuse_user_report" (
			"id" character varying(32) NOT NULL,
			"targetUserId" character varying(32) NOT NULL,
			"targetUserHost" character varying(512),
			"reporterId" character varying(32) NOT NULL,
			"reporterHost" character varying(512),
			"assigneeId" character varying(32),
			"resolved" boolean NOT NULL DEFAULT false,
			"forwarded" boolean NOT NULL DEFAULT false,
			"comment" character varying(2048) NOT NULL,
			"moderationNote" character varying(8192) NOT NULL DEFAULT '',
			"resolvedAs" character varying(128),
			CONSTRAINT "PK_abuse_user_report_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_user_report_targetUserId" ON "abuse_user_report" ("targetUserId")`);
		await queryRunner.query(`CREATE INDEX "IDX_abuse_user_report_reporterId" ON "abuse_user_report" ("reporterId")`);

		await queryRunner.query(`CREATE TABLE "moderation_log" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"userId" character varying(32) NOT NULL,
			"type" character varying(128) NOT NULL,
			"info" jsonb NOT NULL,
			CONSTRAINT "PK_moderation_log_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE INDEX "IDX_moderation_log_userId" ON "moderation_log" ("userId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "moderation_log"`);
		await queryRunner.query(`DROP TABLE "abuse_user_report"`);
	}
}
