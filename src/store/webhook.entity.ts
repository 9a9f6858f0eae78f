import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { webhookColumnsOf } from './delivery-option-columns.js';

/**
 * Why a webhook is paused (our addition): `moderator` by `admin/webhooks/update`; `auto` (repeated
 * failures) and `gone` (the receiver answered 410) are reserved for the module's own pauses.
 */
export type WebhookPausedBy = 'moderator' | 'auto' | 'gone';

/**
 * A user webhook: table `webhook`, column for column as Misskey's `MiWebhook`, plus our pause columns, the secret
 * rotation and failure streak, and a column per user webhook option (core/webhook-options.ts). The columns it declares
 * as the system webhook does (url, secret, latestSentAt, latestStatus, pausedReason, pausedAt) are its base class's.
 */
@Entity('webhook')
export class WebhookEntity extends webhookColumnsOf('user') {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_e6765510c2d078db49632b59020' })
	id!: string;

	@Index('IDX_f272c8c8805969e6a6449c77b3')
	@Column({ type: 'varchar', length: 32, comment: 'The owner ID.' })
	userId!: string;

	@Column({ type: 'varchar', length: 128, comment: 'The name of the Antenna.' })
	name!: string;

	/** As the owner gave it: the known event types, and any other string, which matches no event. */
	@Index('IDX_8063a0586ed1dfbe86e982d961')
	@Column({ type: 'varchar', length: 128, array: true, default: '{}' })
	on!: string[];

	@Index('IDX_5a056076f76b2efe08216ba655')
	@Column({ type: 'boolean', default: true })
	active!: boolean;

	// Our columns (migration WebhookPause1700000300000), beside the base class's reason and time; all null while the
	// webhook is not paused.

	@Column({ type: 'varchar', length: 16, nullable: true })
	pausedBy!: WebhookPausedBy | null;

	/** The moderator who paused it; shown to moderators only. */
	@Column({ type: 'varchar', length: 32, nullable: true })
	pausedByUserId!: string | null;
}
