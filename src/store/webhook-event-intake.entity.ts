import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An event a host raised inside its own transaction, not yet turned into deliveries (migration
 * WebhookEventIntake1700000620000): the event's name and its payload as the host passed it, serialized. The relay
 * deletes it once the deliveries are in the outbox, or postpones it when its bodies could not be packed yet.
 */
@Entity('webhook_event_intake')
export class WebhookEventIntakeEntity {
	/** A time-ordered id (`generateId`): the relay takes rows oldest first. */
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_webhook_event_intake_id' })
	id!: string;

	/** The `events` method the host called: `noteCreated`, `abuseReport`, ... */
	@Column({ type: 'varchar', length: 64 })
	event!: string;

	/** The event as the host passed it, as JSON. */
	@Column({ type: 'text' })
	payload!: string;

	@Column({ type: 'timestamp with time zone', default: () => 'now()' })
	createdAt!: Date;

	/** Tries that could not pack the event's bodies yet. */
	@Column({ type: 'integer', default: 0 })
	attempts!: number;

	/** Indexed with `id` (the relay's batches, due rows oldest first). */
	@Index('IDX_webhook_event_intake_due', { synchronize: false })
	@Column({ type: 'timestamp with time zone', default: () => 'now()' })
	nextAttemptAt!: Date;

	/** Why the last try could not pack it. */
	@Column({ type: 'varchar', length: 1024, nullable: true })
	lastError!: string | null;
}
