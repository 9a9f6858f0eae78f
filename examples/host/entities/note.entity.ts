import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who may see a note (Misskey `noteVisibilities`). */
export const noteVisibilities = ['public', 'home', 'followers', 'specified'] as const;
export type NoteVisibility = typeof noteVisibilities[number];

/** A note (a slice of Misskey's `note`). */
@Entity('note')
export class NoteEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_note_id' })
	id!: string;

	@Column({ type: 'timestamp with time zone' })
	createdAt!: Date;

	@Index('IDX_note_userId')
	@Column({ type: 'varchar', length: 32 })
	userId!: string;

	@Column({ type: 'text', nullable: true })
	text!: string | null;

	/** The content warning the text hides behind; null for none. */
	@Column({ type: 'text', nullable: true })
	cw!: string | null;

	@Index('IDX_note_replyId')
	@Column({ type: 'varchar', length: 32, nullable: true })
	replyId!: string | null;

	@Index('IDX_note_renoteId')
	@Column({ type: 'varchar', length: 32, nullable: true })
	renoteId!: string | null;

	/** Root of the reply chain; null for a note that replies to nothing. */
	@Index('IDX_note_threadId')
	@Column({ type: 'varchar', length: 256, nullable: true })
	threadId!: string | null;

	@Column({ type: 'varchar', length: 16, default: 'public' })
	visibility!: NoteVisibility;

	@Column({ type: 'varchar', length: 32, array: true, default: '{}' })
	visibleUserIds!: string[];

	/** Ids of the local users the note mentions (in its text, CW or poll), deduplicated. */
	@Column({ type: 'varchar', length: 32, array: true, default: '{}' })
	mentions!: string[];

	/** Not to be federated. This host does not federate, but clients and receivers read it from the packed note. */
	@Column({ type: 'boolean', default: false })
	localOnly!: boolean;

	/** Whether a `poll` row belongs to the note; a renote with a poll is a quote, not a pure renote. */
	@Column({ type: 'boolean', default: false })
	hasPoll!: boolean;
}
