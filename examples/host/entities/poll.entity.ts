import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A note's poll (a slice of Misskey's `poll`): one row per note with `hasPoll`. */
@Entity('poll')
export class PollEntity {
	@PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_poll_noteId' })
	noteId!: string;

	/** null: the poll never closes. */
	@Column({ type: 'timestamp with time zone', nullable: true })
	expiresAt!: Date | null;

	@Column({ type: 'boolean' })
	multiple!: boolean;

	@Column({ type: 'varchar', length: 256, array: true })
	choices!: string[];

	/** Votes per choice, in the order of `choices`. */
	@Column({ type: 'integer', array: true })
	votes!: number[];
}
