import type { MigrationInterface, QueryRunner } from 'typeorm';
import { adoptIfPresent, assertAdoptable, dropAdoptionRecordIfEmpty, misskeySystemWebhookShape, misskeyWebhookShape, releaseIfAdopted } from './misskey-tables.js';

/**
 * Table `webhook` exactly as Misskey 2025.9 leaves it (after its migrations webhook, webhook-2 and deleteCreatedAt).
 * No foreign key to the host's `user` table: the module runs on a database without one; hosts call userDeleted().
 * On a Misskey database the table is already there: it is adopted as it is (rows, indexes, Misskey's foreign key) and
 * revert leaves it. See docs/migrations.md.
 */
export class Webhook1700000000000 implements MigrationInterface {
	name = 'Webhook1700000000000';

	async up(queryRunner: QueryRunner): Promise<void> {
		// Both shared tables are checked before anything changes, whatever transaction mode the host runs migrations in.
		await assertAdoptable(queryRunner, [misskeyWebhookShape, misskeySystemWebhookShape]);
		if (await adoptIfPresent(queryRunner, misskeyWebhookShape)) return;
		await queryRunner.query(`CREATE TABLE "webhook" (
			"id" character varying(32) NOT NULL,
			"userId" character varying(32) NOT NULL,
			"name" character varying(128) NOT NULL,
			"on" character varying(128) array NOT NULL DEFAULT '{}',
			"url" character varying(1024) NOT NULL,
			"secret" character varying(1024) NOT NULL,
			"active" boolean NOT NULL DEFAULT true,
			"latestSentAt" TIMESTAMP WITH TIME ZONE,
			"latestStatus" integer,
			CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id"))`);
		await queryRunner.query(`COMMENT ON COLUMN "webhook"."userId" IS 'The owner ID.'`);
		await queryRunner.query(`COMMENT ON COLUMN "webhook"."name" IS 'The name of the Antenna.'`);
		await queryRunner.query(`CREATE INDEX "IDX_f272c8c8805969e6a6449c77b3" ON "webhook" ("userId")`);
		await queryRunner.query(`CREATE INDEX "IDX_8063a0586ed1dfbe86e982d961" ON "webhook" ("on")`);
		await queryRunner.query(`CREATE INDEX "IDX_5a056076f76b2efe08216ba655" ON "webhook" ("active")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		if (!(await releaseIfAdopted(queryRunner, 'webhook'))) await queryRunner.query(`DROP TABLE "webhook"`);
		await dropAdoptionRecordIfEmpty(queryRunner);
	}
}
