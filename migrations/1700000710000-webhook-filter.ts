import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The content filter of each webhook, on both webhook tables: a small JSON condition on the event body (docs/filters.md),
 * null for none. Nullable without a default, so rows Misskey's own code writes deliver every event, as before.
 */
export class WebhookFilter1700000710000 implements MigrationInterface {
	name = 'WebhookFilter1700000710000';

	async up(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook', 'system_webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" ADD "filter" jsonb`);
		}
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['system_webhook', 'webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "filter"`);
		}
	}
}
