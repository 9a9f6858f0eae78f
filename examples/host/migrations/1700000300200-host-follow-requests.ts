import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Locked accounts and their pending follow requests (Misskey `user.isLocked`, `follow_request`). */
export class HostFollowRequests1700000300200 implements MigrationInterface {
	name = 'HostFollowRequests1700000300200';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`ALTER TABLE "user" ADD "isLocked" boolean NOT NULL DEFAULT false`);
		await queryRunner.query(`CREATE TABLE "follow_request" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"followerId" character varying(32) NOT NULL,
			"followeeId" character varying(32) NOT NULL,
			CONSTRAINT "PK_follow_request_id" PRIMARY KEY ("id"),
			CONSTRAINT "FK_follow_request_followerId" FOREIGN KEY ("followerId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
			CONSTRAINT "FK_follow_request_followeeId" FOREIGN KEY ("followeeId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_follow_request_followerId_followeeId" ON "follow_request" ("followerId", "followeeId")`);
		await queryRunner.query(`CREATE INDEX "IDX_follow_request_followeeId" ON "follow_request" ("followeeId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "follow_request"`);
		await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "isLocked"`);
	}
}
