import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { webhookColumnsOf } from './delivery-option-columns.js';

/**
 * Why a webhook is paused (our addition): `moderator` by `admin/webhooks/update`; `auto` (repeated
 * failures) and `gone` (the receiver answered 410) are reserved for the module's own pauses.
 */
export type WebhookPausedBy = 'moderator' | 'auto' | 'gone';

/**
 * A user webhook: table `webhook`, column for column as Misskey's `MiWebhook`, plus our pause columns, the secret
 * rotation and failure streak, and a column per user webhook option (core/webhook-options.ts).
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

	@Column({ type: 'varchar', length: 1024 })
	url!: string;

	@Column({ type: 'varchar', length: 1024 })
	secret!: string;

	@Index('IDX_5a056076f76b2efe08216ba655')
	@Column({ type: 'boolean', default: true })
	active!: boolean;

	@Column({ type: 'timestamp with time zone', nullable: true })
	latestSentAt!: Date | null;

	@Column({ type: 'integer', nullable: true })
	latestStatus!: number | null;

	// Our columns (migration WebhookPause1700000300000); all null while the webhook is not paused.

	@Column({ type: 'varchar', length: 16, nullable: true })
	pausedBy!: WebhookPausedBy | null;

	@Column({ type: 'varchar', length: 512, nullable: true })
	pausedReason!: string | null;

	@Column({ type: 'timestamp with time zone', nullable: true })
	pausedAt!: Date | null;

	/** The moderator who paused it; shown to moderators only. */
	@Column({ type: 'varchar', length: 32, nullable: true })
	pausedByUserId!: string | null;
}
