import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A pending request to follow a locked account (Misskey `follow_request`). */
@Entity('follow_request')
@Index('IDX_follow_request_followerId_followeeId', ['followerId', 'followeeId'], { unique: true })
export class FollowRequestEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_follow_request_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	@Column({ type: 'varchar', length: 32 })
	followerId!: string;

	@Index('IDX_follow_request_followeeId')
	@Column({ type: 'varchar', length: 32 })
	followeeId!: string;
}
