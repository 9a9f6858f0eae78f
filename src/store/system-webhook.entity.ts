import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { webhookColumnsOf } from './delivery-option-columns.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';

/**
 * A system webhook: table `system_webhook`, column for column as Misskey's `MiSystemWebhook`, plus the secret rotation,
 * failure streak and pause, and a column per system webhook option (core/webhook-options.ts).
 * Both indexes are created by the migration only (`synchronize: false`, as Misskey declares them): the GIN index on
 * `on` cannot be described by a decorator, and TypeORM must not try to rebuild it as a btree.
 */
@Entity('system_webhook')
export class SystemWebhookEntity extends webhookColumnsOf('system') {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_system_webhook_id' })
	id!: string;

	@Index('IDX_system_webhook_isActive', { synchronize: false })
	@Column({ type: 'boolean', default: true })
	isActive!: boolean;

	/** Set by every create and update through the API (not by status writes). */
	@Column({ type: 'timestamp with time zone', default: () => 'now()' })
	updatedAt!: Date;

	@Column({ type: 'timestamp with time zone', nullable: true })
	latestSentAt!: Date | null;

	@Column({ type: 'integer', nullable: true })
	latestStatus!: number | null;

	@Column({ type: 'varchar', length: 255 })
	name!: string;

	@Index('IDX_system_webhook_on', { synchronize: false })
	@Column({ type: 'varchar', length: 128, array: true, default: '{}' })
	on!: SystemWebhookEventType[];

	@Column({ type: 'varchar', length: 1024 })
	url!: string;

	@Column({ type: 'varchar', length: 1024 })
	secret!: string;

	// Pause record (migration DeliveryOptions1700000400000): set when the module pauses it (auto-disable, 410 Gone).

	@Column({ type: 'varchar', length: 16, nullable: true })
	pausedBy!: 'auto' | 'gone' | null;

	@Column({ type: 'varchar', length: 512, nullable: true })
	pausedReason!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	pausedAt!: Date | null;
}
