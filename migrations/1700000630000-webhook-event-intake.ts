import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event intake, ours alone: one row per event a host raised inside its own transaction, written by that
 * transaction (so the event exists if and only if the host's write does), and deleted by the relay in the transaction
 * that writes the event's deliveries to `webhook_delivery`. A row that could not be packed yet waits for `nextAttemptAt`.
 */
export class WebhookEventIntake1700000630000 implements MigrationInterface {
	name = 'WebhookEventIntake1700000630000';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "webhook_event_intake" (
			"id" character varying(32) NOT NULL,
			"event" character varying(64) NOT NULL,
			"payload" text NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
			"attempts" integer NOT NULL DEFAULT 0,
			"nextAttemptAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
			"lastError" character varying(1024),
			CONSTRAINT "PK_webhook_event_intake_id" PRIMARY KEY ("id"))`);
		// Due rows oldest first (the relay's batches).
		await queryRunner.query(`CREATE INDEX "IDX_webhook_event_intake_due" ON "webhook_event_intake" ("nextAttemptAt", "id")`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "webhook_event_intake"`);
	}
}
