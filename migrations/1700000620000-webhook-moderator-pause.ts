import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ours alone: the moderators' pauses remembered by (owner, URL), so a webhook a moderator paused cannot escape the pause
 * by being deleted and created again (docs/limits-and-refusals.md). `url` is the URL as WHATWG URL normalizes it;
 * `webhookId` is the webhook the pause currently holds, so a moderator's resume can forget it. No foreign key: a record
 * outlives its deleted webhook on purpose.
 */
export class WebhookModeratorPause1700000620000 implements MigrationInterface {
	name = 'WebhookModeratorPause1700000620000';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "webhook_moderator_pause" (
			"userId" character varying(32) NOT NULL,
			"url" text NOT NULL,
			"webhookId" character varying(32) NOT NULL,
			"reason" character varying(512),
			"pausedAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"pausedByUserId" character varying(32),
			CONSTRAINT "PK_webhook_moderator_pause" PRIMARY KEY ("userId", "url"))`);
		await queryRunner.query(`CREATE INDEX "IDX_webhook_moderator_pause_webhook" ON "webhook_moderator_pause" ("webhookId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP INDEX "IDX_webhook_moderator_pause_webhook"`);
		await queryRunner.query(`DROP TABLE "webhook_moderator_pause"`);
	}
}
