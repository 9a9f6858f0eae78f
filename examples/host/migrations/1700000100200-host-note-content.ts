import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What `notes/create` keeps beside the text: the content warning, `localOnly` and the poll (`note.hasPoll` and the
 * `poll` table), so packed notes carry them as Misskey's do (see ../entities/).
 */
export class HostNoteContent1700000100200 implements MigrationInterface {
	name = 'HostNoteContent1700000100200';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`ALTER TABLE "note"
			ADD "cw" text,
			ADD "localOnly" boolean NOT NULL DEFAULT false,
			ADD "hasPoll" boolean NOT NULL DEFAULT false`);
		await queryRunner.query(`CREATE TABLE "poll" (
			"noteId" character varying(32) NOT NULL,
			"expiresAt" TIMESTAMP WITH TIME ZONE,
			"multiple" boolean NOT NULL,
			"choices" character varying(256) array NOT NULL,
			"votes" integer array NOT NULL,
			CONSTRAINT "PK_poll_noteId" PRIMARY KEY ("noteId"))`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "poll"`);
		await queryRunner.query(`ALTER TABLE "note" DROP COLUMN "hasPoll", DROP COLUMN "localOnly", DROP COLUMN "cw"`);
	}
}
