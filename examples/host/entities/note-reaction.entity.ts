import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One user's reaction to one note (Misskey `note_reaction`: one per user and note). */
@Entity('note_reaction')
@Index('IDX_note_reaction_userId_noteId', ['userId', 'noteId'], { unique: true })
export class NoteReactionEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_note_reaction_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	@Index('IDX_note_reaction_noteId')
	@Column({ type: 'varchar', length: 32 })
	noteId!: string;

	@Column({ type: 'varchar', length: 32 })
	userId!: string;

	@Column({ type: 'varchar', length: 260 })
	reaction!: string;
}
