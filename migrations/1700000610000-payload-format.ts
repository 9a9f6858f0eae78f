import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The body format of each webhook (`misskey`, `discord`, `slack`) on both webhook tables, and on each outbox row, so a
 * re-queued job renders the body it was queued with. Defaulted to `misskey`: rows Misskey's own code writes, which
 * know nothing of it, keep Misskey's envelope.
 */
export class PayloadFormat1700000610000 implements MigrationInterface {
	name = 'PayloadFormat1700000610000';

	async up(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook', 'system_webhook', 'webhook_delivery']) {
			await queryRunner.query(`ALTER TABLE "${table}" ADD "format" character varying(16) NOT NULL DEFAULT 'misskey'`);
		}
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook_delivery', 'system_webhook', 'webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "format"`);
		}
	}
}
