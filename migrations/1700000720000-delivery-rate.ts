import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook's delivery rate (`deliveryRate`, deliveries a second) and burst (`deliveryBurst`) on both webhook tables,
 * and on each outbox row, so a re-queued job keeps the limit it was queued with. Nullable without a default: rows
 * Misskey's own code writes, and every webhook until its owner sets one, take the format's default (none for Misskey's
 * envelope).
 */
export class DeliveryRate1700000720000 implements MigrationInterface {
	name = 'DeliveryRate1700000720000';

	async up(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook', 'system_webhook', 'webhook_delivery']) {
			await queryRunner.query(`ALTER TABLE "${table}" ADD "deliveryRate" double precision`);
			await queryRunner.query(`ALTER TABLE "${table}" ADD "deliveryBurst" integer`);
		}
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook_delivery', 'system_webhook', 'webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "deliveryBurst"`);
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "deliveryRate"`);
		}
	}
}
