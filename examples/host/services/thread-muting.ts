import type { DataSource, Repository } from 'typeorm';
import { NoteThreadMutingEntity, type UserEntity } from '../entities/index.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { NoteService } from './notes.js';

/** Thread muting (Misskey `note_thread_muting`): a muted thread sends its muter no reply or mention. */
export class ThreadMutingService {
	private readonly mutings: Repository<NoteThreadMutingEntity>;

	constructor(dataSource: DataSource, private readonly noteService: NoteService) {
		this.mutings = dataSource.getRepository(NoteThreadMutingEntity);
	}

	/** Mutes the thread `noteId` belongs to (its threadId, or the note itself when it starts one); muting twice is harmless. */
	async mute(user: UserEntity, noteId: string): Promise<Outcome<void, 'noSuchNote'>> {
		const note = await this.noteService.findById(noteId);
		if (!note) return refused('noSuchNote');
		await this.mutings.createQueryBuilder()
			.insert()
			.values({ id: generateHostId(), createdAt: new Date(), userId: user.id, threadId: note.threadId ?? note.id })
			.orIgnore()
			.execute();
		return succeeded(undefined);
	}

	isMuted(userId: string, threadId: string): Promise<boolean> {
		return this.mutings.existsBy({ userId, threadId });
	}
}
