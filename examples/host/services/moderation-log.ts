import type { DataSource, Repository } from 'typeorm';
import { ModerationLogEntity } from '../entities/index.js';
import { generateHostId } from '../id.js';

/** The moderation log (Misskey `ModerationLogService`): the webhook module writes its moderators' actions here. */
export class ModerationLogService {
	private readonly logs: Repository<ModerationLogEntity>;

	constructor(dataSource: DataSource) {
		this.logs = dataSource.getRepository(ModerationLogEntity);
	}

	/** Records one action by `moderatorId`. */
	async log(moderatorId: string, type: string, info: Record<string, unknown>): Promise<void> {
		const entry = Object.assign(new ModerationLogEntity(), { id: generateHostId(), createdAt: new Date(), userId: moderatorId, type, info });
		await this.logs.save(entry);
	}

	/** The newest `limit` entries, newest first, optionally of one type. */
	list(input: { limit: number; type?: string }): Promise<ModerationLogEntity[]> {
		return this.logs.find({ where: input.type === undefined ? {} : { type: input.type }, order: { id: 'DESC' }, take: input.limit });
	}
}
