import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * App tokens issued through MiAuth (a slice of Misskey's `access_token`): the token, the MiAuth session it answers,
 * its owner, the app's name and permissions, and whether the app has fetched it (a session is answered once).
 */
export class HostAccessTokens1700000300100 implements MigrationInterface {
	name = 'HostAccessTokens1700000300100';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "access_token" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"token" character varying(128) NOT NULL,
			"session" character varying(128),
			"userId" character varying(32) NOT NULL,
			"name" character varying(128),
			"permission" character varying(64) array NOT NULL DEFAULT '{}',
			"fetched" boolean NOT NULL DEFAULT false,
			CONSTRAINT "PK_access_token_id" PRIMARY KEY ("id"),
			CONSTRAINT "FK_access_token_userId" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_access_token_token" ON "access_token" ("token")`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_access_token_session" ON "access_token" ("session")`);
		await queryRunner.query(`CREATE INDEX "IDX_access_token_userId" ON "access_token" ("userId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "access_token"`);
	}
}
