import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-webhook delivery options beyond Misskey, on both webhook tables: retry preset, whether the clear secret header is
 * sent, the previous secret during a rotation's grace period, and the start of the current failure streak
 * (auto-disable). User webhooks also get the `note` visibility filters; system webhooks
 * get the pause columns user webhooks already have, for auto-disable and 410 Gone.
 */
export class DeliveryOptions1700000400000 implements MigrationInterface {
	name = 'DeliveryOptions1700000400000';

	async up(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['webhook', 'system_webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}"
				ADD "retryPolicy" character varying(16) NOT NULL DEFAULT 'standard',
				ADD "sendSecretHeader" boolean NOT NULL DEFAULT true,
				ADD "previousSecret" character varying(1024),
				ADD "previousSecretExpiresAt" TIMESTAMP WITH TIME ZONE,
				ADD "failingSince" TIMESTAMP WITH TIME ZONE`);
		}
		await queryRunner.query(`ALTER TABLE "webhook"
			ADD "excludeSpecifiedNotes" boolean NOT NULL DEFAULT false,
			ADD "excludeFollowersNotes" boolean NOT NULL DEFAULT false`);
		await queryRunner.query(`ALTER TABLE "system_webhook"
			ADD "pausedBy" character varying(16),
			ADD "pausedReason" character varying(512),
			ADD "pausedAt" TIMESTAMP WITH TIME ZONE`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`ALTER TABLE "system_webhook" DROP COLUMN "pausedAt", DROP COLUMN "pausedReason", DROP COLUMN "pausedBy"`);
		await queryRunner.query(`ALTER TABLE "webhook" DROP COLUMN "excludeFollowersNotes", DROP COLUMN "excludeSpecifiedNotes"`);
		for (const table of ['system_webhook', 'webhook']) {
			await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "failingSince", DROP COLUMN "previousSecretExpiresAt",
				DROP COLUMN "previousSecret", DROP COLUMN "sendSecretHeader", DROP COLUMN "retryPolicy"`);
		}
	}
}
