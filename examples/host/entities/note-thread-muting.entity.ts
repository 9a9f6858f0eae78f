import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user muted a thread (Misskey `note_thread_muting`). */
@Entity('note_thread_muting')
@Index('IDX_note_thread_muting_userId_threadId', ['userId', 'threadId'], { unique: true })
export class NoteThreadMutingEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_note_thread_muting_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	@Column({ type: 'varchar', length: 32 })
	userId!: string;

	@Column({ type: 'varchar', length: 256 })
	threadId!: string;
}
