import type { MigrationInterface, QueryRunner } from 'typeorm';
import { adoptIfPresent, misskeySystemWebhookShape, releaseIfAdopted } from './misskey-tables.js';

/**
 * Table `system_webhook` exactly as Misskey 2025.9 leaves it (its migration abuse-report-notification, then
 * migration-cleanup setting the `updatedAt` default to `now()`). Misskey's companion table
 * `abuse_report_notification_recipient` is not created: the module has no abuse-report recipients.
 * On a Misskey database the table is adopted as it is, and revert leaves it (docs/migrations.md).
 */
export class SystemWebhook1700000200000 implements MigrationInterface {
	name = 'SystemWebhook1700000200000';

	async up(queryRunner: QueryRunner): Promise<void> {
		if (await adoptIfPresent(queryRunner, misskeySystemWebhookShape)) return;
		await queryRunner.query(`CREATE TABLE "system_webhook" (
			"id" character varying(32) NOT NULL,
			"isActive" boolean NOT NULL DEFAULT true,
			"updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
			"latestSentAt" TIMESTAMP WITH TIME ZONE,
			"latestStatus" integer,
			"name" character varying(255) NOT NULL,
			"on" character varying(128) array NOT NULL DEFAULT '{}',
			"url" character varying(1024) NOT NULL,
			"secret" character varying(1024) NOT NULL,
			CONSTRAINT "PK_system_webhook_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE INDEX "IDX_system_webhook_isActive" ON "system_webhook" ("isActive")`);
		await queryRunner.query(`CREATE INDEX "IDX_system_webhook_on" ON "system_webhook" USING gin ("on")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		if (await releaseIfAdopted(queryRunner, 'system_webhook')) return;
		await queryRunner.query(`DROP TABLE "system_webhook"`);
	}
}
