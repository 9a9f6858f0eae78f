import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One moderator action (Misskey `moderation_log`): who, what type, and the action's details as JSON. */
@Entity('moderation_log')
export class ModerationLogEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_moderation_log_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	/** The moderator. */
	@Index('IDX_moderation_log_userId')
	@Column({ type: 'varchar', length: 32 })
	userId!: string;

	@Column({ type: 'varchar', length: 128 })
	type!: string;

	@Column({ type: 'jsonb' })
	info!: Record<string, unknown>;
}
