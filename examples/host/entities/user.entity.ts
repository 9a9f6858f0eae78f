import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user of the reference host (a slice of Misskey's `user` and `user_profile`). */
@Entity('user')
export class UserEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_user_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	/** Null until the profile changes, as in Misskey. */
	@Column({ type: 'timestamp with time zone', nullable: true })
	updatedAt!: Date | null;

	@Column({ type: 'varchar', length: 128 })
	username!: string;

	@Index('IDX_user_usernameLower', { unique: true })
	@Column({ type: 'varchar', length: 128 })
	usernameLower!: string;

	/** Null for a local user; this host has no federation, so always null here. */
	@Column({ type: 'varchar', length: 512, nullable: true })
	host!: string | null;

	@Column({ type: 'varchar', length: 128, nullable: true })
	name!: string | null;

	/** `scrypt$<salt hex>$<key hex>`. */
	@Column({ type: 'varchar', length: 256 })
	passwordHash!: string;

	/** The native (login) token. */
	@Index('IDX_user_token', { unique: true })
	@Column({ type: 'varchar', length: 64 })
	token!: string;

	@Column({ type: 'boolean', default: false })
	isAdmin!: boolean;

	@Column({ type: 'boolean', default: false })
	isModerator!: boolean;

	/** A locked account: a follow becomes a request it accepts or rejects (Misskey `isLocked`). */
	@Column({ type: 'boolean', default: false })
	isLocked!: boolean;
}
