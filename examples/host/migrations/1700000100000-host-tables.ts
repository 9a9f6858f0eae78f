import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The reference host's own tables: user, note, following, note_reaction, note_thread_muting (see ../entities/). */
export class HostTables1700000100000 implements MigrationInterface {
	name = 'HostTables1700000100000';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "user" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"updatedAt" TIMESTAMP WITH TIME ZONE,
			"username" character varying(128) NOT NULL,
			"usernameLower" character varying(128) NOT NULL,
			"host" character varying(512),
			"name" character varying(128),
			"passwordHash" character varying(256) NOT NULL,
			"token" character varying(64) NOT NULL,
			"isAdmin" boolean NOT NULL DEFAULT false,
			"isModerator" boolean NOT NULL DEFAULT false,
			CONSTRAINT "PK_user_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_user_usernameLower" ON "user" ("usernameLower")`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_user_token" ON "user" ("token")`);

		await queryRunner.query(`CREATE TABLE "note" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"userId" character varying(32) NOT NULL,
			"text" text,
			"replyId" character varying(32),
			"renoteId" character varying(32),
			"threadId" character varying(256),
			"visibility" character varying(16) NOT NULL DEFAULT 'public',
			"visibleUserIds" character varying(32) array NOT NULL DEFAULT '{}',
			"mentions" character varying(32) array NOT NULL DEFAULT '{}',
			CONSTRAINT "PK_note_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE INDEX "IDX_note_userId" ON "note" ("userId")`);
		await queryRunner.query(`CREATE INDEX "IDX_note_replyId" ON "note" ("replyId")`);
		await queryRunner.query(`CREATE INDEX "IDX_note_renoteId" ON "note" ("renoteId")`);
		await queryRunner.query(`CREATE INDEX "IDX_note_threadId" ON "note" ("threadId")`);

		await queryRunner.query(`CREATE TABLE "following" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"followerId" character varying(32) NOT NULL,
			"followeeId" character varying(32) NOT NULL,
			CONSTRAINT "PK_following_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_following_followerId_followeeId" ON "following" ("followerId", "followeeId")`);
		await queryRunner.query(`CREATE INDEX "IDX_following_followerId" ON "following" ("followerId")`);
		await queryRunner.query(`CREATE INDEX "IDX_following_followeeId" ON "following" ("followeeId")`);

		await queryRunner.query(`CREATE TABLE "note_reaction" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"noteId" character varying(32) NOT NULL,
			"userId" character varying(32) NOT NULL,
			"reaction" character varying(260) NOT NULL,
			CONSTRAINT "PK_note_reaction_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_note_reaction_userId_noteId" ON "note_reaction" ("userId", "noteId")`);
		await queryRunner.query(`CREATE INDEX "IDX_note_reaction_noteId" ON "note_reaction" ("noteId")`);

		await queryRunner.query(`CREATE TABLE "note_thread_muting" (
			"id" character varying(32) NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"userId" character varying(32) NOT NULL,
			"threadId" character varying(256) NOT NULL,
			CONSTRAINT "PK_note_thread_muting_id" PRIMARY KEY ("id"))`);
		await queryRunner.query(`CREATE UNIQUE INDEX "IDX_note_thread_muting_userId_threadId" ON "note_thread_muting" ("userId", "threadId")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const table of ['note_thread_muting', 'note_reaction', 'following', 'note', 'user']) {
			await queryRunner.query(`DROP TABLE "${table}"`);
		}
	}
}
