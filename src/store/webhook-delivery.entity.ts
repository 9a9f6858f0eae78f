import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { outboxColumns } from './delivery-option-columns.js';
import type { WebhookKindName } from '../core/webhook-kind.js';

/** Where a delivery stands: still being attempted, delivered, or given up on. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One (webhook, event) delivery in the outbox (migration WebhookDeliveryLog1700000510000): written
 * together with its job, it holds everything the job is rebuilt from, so the reconciler can re-queue it after Redis
 * lost it. Its id is the Bull job id, so one delivery is never queued twice. Its three indexes span several columns (one is
 * partial): the migration defines them, and the `synchronize: false` markers tell TypeORM to leave them be. The options
 * a delivery copies from its webhook, and the rotated-out secret, are the columns of its base class.
 */
@Entity('webhook_delivery')
export class WebhookDeliveryEntity extends outboxColumns() {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_webhook_delivery_id' })
	id!: string;

	@Index('IDX_webhook_delivery_webhook', { synchronize: false })
	@Index('IDX_webhook_delivery_unfinished', { synchronize: false })
	@Column({ type: 'varchar', length: 8 })
	webhookKind!: WebhookKindName;

	/** The Bull prefix of the queue its job went to (option `queuePrefix`): each module instance refills only its own queue. */
	@Column({ type: 'varchar', length: 255 })
	queuePrefix!: string;

	@Column({ type: 'varchar', length: 32 })
	webhookId!: string;

	/** The owner of a user webhook; null for a system webhook. */
	@Column({ type: 'varchar', length: 32, nullable: true })
	userId!: string | null;

	/** The envelope's `eventId` and the `webhook-id` header: the same on every attempt, redeliveries included. */
	@Column({ type: 'uuid' })
	eventId!: string;

	@Column({ type: 'varchar', length: 64 })
	type!: string;

	/** The event body as the JSON text serialized once at enqueue; the envelope is rebuilt around it byte for byte. */
	@Column({ type: 'text' })
	body!: string;

	@Column({ type: 'varchar', length: 1024 })
	url!: string;

	/** Copied at enqueue, as Misskey's job copies it; never shown by the API. */
	@Column({ type: 'varchar', length: 1024 })
	secret!: string;

	@Column({ type: 'varchar', length: 16, default: 'pending' })
	status!: WebhookDeliveryStatus;

	/** Attempts made so far, scheduled and manual. */
	@Column({ type: 'integer', default: 0 })
	attempts!: number;

	/** Attempts the retry schedule allows (manual attempts come on top). */
	@Column({ type: 'integer' })
	maxAttempts!: number;

	/** Enqueue time: the envelope's `createdAt`. */
	@Index('IDX_webhook_delivery_createdAt', { synchronize: false })
	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	/** When the next scheduled attempt is due; null once the delivery is finished. */
	@Column({ type: 'timestamp with time zone', nullable: true })
	nextAttemptAt!: Date | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	lastAttemptAt!: Date | null;

	/** The last attempt's HTTP status; 1 when it got no response (Misskey's `latestStatus` convention). */
	@Column({ type: 'integer', nullable: true })
	lastStatus!: number | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	finishedAt!: Date | null;
}
