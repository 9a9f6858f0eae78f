import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A follow relation (Misskey `following`). */
@Entity('following')
@Index('IDX_following_followerId_followeeId', ['followerId', 'followeeId'], { unique: true })
export class FollowingEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_following_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	@Index('IDX_following_followerId')
	@Column({ type: 'varchar', length: 32 })
	followerId!: string;

	@Index('IDX_following_followeeId')
	@Column({ type: 'varchar', length: 32 })
	followeeId!: string;
}
