import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable outbox and the attempt log (Svix's attempt log), ours alone:
 * `webhook_delivery` holds one row per (webhook, event) delivery, written before its job is queued, with what the job
 * needs to be rebuilt (body, URL, secret, options) and the queue it went to, so a lost queue can be refilled; `webhook_delivery_attempt` one row
 * per attempt, removed with its delivery. No foreign key to the webhook tables: a delivery names either kind, and its
 * log outlives a deleted webhook until the retention prunes it.
 */
export class WebhookDeliveryLog1700000510000 implements MigrationInterface {
	name = 'WebhookDeliveryLog1700000510000';

	async up(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`CREATE TABLE "webhook_delivery" (
			"id" character varying(32) NOT NULL,
			"webhookKind" character varying(8) NOT NULL,
			"queuePrefix" character varying(255) NOT NULL,
			"webhookId" character varying(32) NOT NULL,
			"userId" character varying(32),
			"eventId" uuid NOT NULL,
			"type" character varying(64) NOT NULL,
			"body" text NOT NULL,
			"url" character varying(1024) NOT NULL,
			"secret" character varying(1024) NOT NULL,
			"retryPolicy" character varying(16) NOT NULL,
			"sendSecretHeader" boolean NOT NULL DEFAULT true,
			"previousSecret" character varying(1024),
			"previousSecretExpiresAt" TIMESTAMP WITH TIME ZONE,
			"status" character varying(16) NOT NULL DEFAULT 'pending',
			"attempts" integer NOT NULL DEFAULT 0,
			"maxAttempts" integer NOT NULL,
			"createdAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"nextAttemptAt" TIMESTAMP WITH TIME ZONE,
			"lastAttemptAt" TIMESTAMP WITH TIME ZONE,
			"lastStatus" integer,
			"finishedAt" TIMESTAMP WITH TIME ZONE,
			CONSTRAINT "PK_webhook_delivery_id" PRIMARY KEY ("id"))`);
		// A webhook's deliveries newest first (the delivery API, recover).
		await queryRunner.query(`CREATE INDEX "IDX_webhook_delivery_webhook" ON "webhook_delivery" ("webhookKind", "webhookId", "id")`);
		// Unfinished deliveries of one queue by due time (the reconciler); small, since finished rows leave it.
		await queryRunner.query(`CREATE INDEX "IDX_webhook_delivery_unfinished" ON "webhook_delivery" ("queuePrefix", "webhookKind", "nextAttemptAt", "id") WHERE "status" = 'pending'`);
		// Old rows first (the pruner).
		await queryRunner.query(`CREATE INDEX "IDX_webhook_delivery_createdAt" ON "webhook_delivery" ("createdAt")`);
		await queryRunner.query(`CREATE TABLE "webhook_delivery_attempt" (
			"id" character varying(32) NOT NULL,
			"deliveryId" character varying(32) NOT NULL,
			"number" integer NOT NULL,
			"startedAt" TIMESTAMP WITH TIME ZONE NOT NULL,
			"durationMs" integer NOT NULL,
			"status" integer,
			"errorClass" character varying(64),
			"reason" character varying(512),
			"responseBody" text,
			"nextAttemptAt" TIMESTAMP WITH TIME ZONE,
			"trigger" character varying(16) NOT NULL,
			-- Keyed by delivery first: attempts are only ever read, and deleted, by their delivery.
			CONSTRAINT "PK_webhook_delivery_attempt" PRIMARY KEY ("deliveryId", "id"),
			CONSTRAINT "FK_webhook_delivery_attempt_delivery" FOREIGN KEY ("deliveryId") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE)`);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE "webhook_delivery_attempt"`);
		await queryRunner.query(`DROP TABLE "webhook_delivery"`);
	}
}
