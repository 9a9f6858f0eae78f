import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payload template of each webhook (null: none, the format makes the body) and what it renders to, on both webhook
 * tables and on each outbox row, so a re-queued job renders the body it was queued with. Rows Misskey's own code
 * writes, which know nothing of them, have no template.
 */
export class PayloadTemplate1700000700000 implements MigrationInterface {
	name = 'PayloadTemplate1700000700000';

	async up(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook', 'system_webhook', 'webhook_delivery']) {
			await queryRunner.query(`ALTER TABLE "${table}" ADD "template" text`);
			await queryRunner.query(`ALTER TABLE "${table}" ADD "templateContentType" character varying(32) NOT NULL DEFAULT 'application/json'`);
		}
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook_delivery', 'system_webhook', 'webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "templateContentType"`);
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "template"`);
		}
	}
}
