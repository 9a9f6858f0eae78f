import type { DataSource, Repository } from 'typeorm';
import { FollowingEntity, type UserEntity } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { UserService } from './users.js';

/** Why a follow or unfollow is refused (Misskey's `following/create` and `following/delete` errors). */
export type FollowRefusal = 'noSuchUser' | 'followeeIsYourself' | 'alreadyFollowing';
export type UnfollowRefusal = 'noSuchUser' | 'followeeIsYourself' | 'notFollowing';

const userRef = (user: UserEntity) => ({ id: user.id, host: user.host });

/** Follow relations. Accounts here are never locked, so a follow takes effect at once (no follow requests). */
export class FollowingService {
	private readonly followings: Repository<FollowingEntity>;

	constructor(private readonly dataSource: DataSource, private readonly userService: UserService, private readonly relay: EventRelay) {
		this.followings = dataSource.getRepository(FollowingEntity);
	}

	/** `follower` follows `followeeId`; raises `followCreated`. Resolves to the followee. */
	async follow(follower: UserEntity, followeeId: string): Promise<Outcome<UserEntity, FollowRefusal>> {
		if (follower.id === followeeId) return refused('followeeIsYourself');
		const followee = await this.userService.findById(followeeId);
		if (!followee) return refused('noSuchUser');
		// The follow and its `followCreated` commit together.
		const created = await this.dataSource.transaction(async (manager) => {
			// The unique index settles a race between two identical requests.
			const inserted = await manager.createQueryBuilder(FollowingEntity, 'following')
				.insert()
				.values({ id: generateHostId(), createdAt: new Date(), followerId: follower.id, followeeId: followee.id })
				.orIgnore()
				.returning('id')
				.execute();
			if ((inserted.raw as unknown[]).length === 0) return false;
			await this.relay.inTransaction(manager, (events, options) => events.followCreated({ follower: userRef(follower), followee: userRef(followee) }, options));
			return true;
		});
		return created ? succeeded(followee) : refused('alreadyFollowing');
	}

	/** `follower` stops following `followeeId`; raises `followDeleted` initiated by the follower. Resolves to the followee. */
	async unfollow(follower: UserEntity, followeeId: string): Promise<Outcome<UserEntity, UnfollowRefusal>> {
		if (follower.id === followeeId) return refused('followeeIsYourself');
		const followee = await this.userService.findById(followeeId);
		if (!followee) return refused('noSuchUser');
		const deleted = await this.dataSource.transaction(async (manager) => {
			const result = await manager.delete(FollowingEntity, { followerId: follower.id, followeeId: followee.id });
			if (!result.affected) return false;
			await this.relay.inTransaction(manager, (events, options) => events.followDeleted({
				follower: userRef(follower),
				followee: userRef(followee),
				initiatedBy: 'follower',
			}, options));
			return true;
		});
		return deleted ? succeeded(followee) : refused('notFollowing');
	}
}
