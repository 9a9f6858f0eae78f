import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { webhookColumnsOf } from './delivery-option-columns.js';
import type { SystemWebhookEventType } from '../events/catalogue.js';

/**
 * A system webhook: table `system_webhook`, column for column as Misskey's `MiSystemWebhook`, plus the secret rotation,
 * failure streak and pause, and a column per system webhook option (core/webhook-options.ts). The columns it declares
 * as the user webhook does (url, secret, latestSentAt, latestStatus, pausedReason, pausedAt) are its base class's.
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

	@Column({ type: 'varchar', length: 255 })
	name!: string;

	@Index('IDX_system_webhook_on', { synchronize: false })
	@Column({ type: 'varchar', length: 128, array: true, default: '{}' })
	on!: SystemWebhookEventType[];

	// Pause record (migration DeliveryOptions1700000400000), with the base class's reason and time: set when the module
	// pauses it (auto-disable, 410 Gone).

	@Column({ type: 'varchar', length: 16, nullable: true })
	pausedBy!: 'auto' | 'gone' | null;
}
