import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';

/** Why an attempt was made: its retry schedule, or an owner's or moderator's redelivery (Svix `triggerType`). */
export type WebhookDeliveryAttemptTrigger = 'scheduled' | 'manual';

/**
 * One attempt of a delivery (migration WebhookDeliveryLog1700000510000; Svix `MessageAttemptOut`):
 * when, how long, the HTTP status or the error class, the body's first 2 KB and when the next attempt is due.
 * Deleted with its delivery (the foreign key cascades).
 */
@Entity('webhook_delivery_attempt')
export class WebhookDeliveryAttemptEntity {
	/** With `id`, the primary key: a delivery's attempts are read, and deleted, together. */
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_webhook_delivery_attempt' })
	deliveryId!: string;

	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_webhook_delivery_attempt' })
	id!: string;

	@ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
	@JoinColumn({ name: 'deliveryId', foreignKeyConstraintName: 'FK_webhook_delivery_attempt_delivery' })
	delivery?: WebhookDeliveryEntity;

	/** 1 for the delivery's first attempt; a manual attempt takes the next number after those made before it. */
	@Column({ type: 'integer' })
	number!: number;

	@Column({ type: 'timestamp with time zone' })
	startedAt!: Date;

	@Column({ type: 'integer' })
	durationMs!: number;

	/** The HTTP status; null when there was no response (see `errorClass`). */
	@Column({ type: 'integer', nullable: true })
	status!: number | null;

	/** Why there was no response: `timeout`, `ECONNREFUSED`, `ECONNRESET`, `blocked-address`, ...; null when there was one. */
	@Column({ type: 'varchar', length: 64, nullable: true })
	errorClass!: string | null;

	/** The outcome in words (`503 Service Unavailable`, `blocked-address: ...`); null when delivered. */
	@Column({ type: 'varchar', length: 512, nullable: true })
	reason!: string | null;

	/** The response body's first 2 KB as text; null when there was no response. */
	@Column({ type: 'text', nullable: true })
	responseBody!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	nextAttemptAt!: Date | null;

	@Column({ type: 'varchar', length: 16 })
	trigger!: WebhookDeliveryAttemptTrigger;
}
