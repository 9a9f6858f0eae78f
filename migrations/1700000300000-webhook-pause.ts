import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Our addition to Misskey's `webhook` table: who paused a webhook, why, when, and which moderator.
 * All nullable with no default, so Misskey's rows and queries are untouched; `pausedBy` is a plain varchar so later
 * causes ('auto', 'gone') need no schema change.
 */
export class WebhookPause1700000300000 implements MigrationInterface {
	name = 'WebhookPause1700000300000';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`ALTER TABLE "webhook"
			ADD "pausedBy" character varying(16),
			ADD "pausedReason" character varying(512),
			ADD "pausedAt" TIMESTAMP WITH TIME ZONE,
			ADD "pausedByUserId" character varying(32)`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`ALTER TABLE "webhook"
			DROP COLUMN "pausedByUserId",
			DROP COLUMN "pausedAt",
			DROP COLUMN "pausedReason",
			DROP COLUMN "pausedBy"`);
	}
}
