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

	constructor(dataSource: DataSource, private readonly userService: UserService, private readonly relay: EventRelay) {
		this.followings = dataSource.getRepository(FollowingEntity);
	}

	/** `follower` follows `followeeId`; raises `followCreated`. Resolves to the followee. */
	async follow(follower: UserEntity, followeeId: string): Promise<Outcome<UserEntity, FollowRefusal>> {
		if (follower.id === followeeId) return refused('followeeIsYourself');
		const followee = await this.userService.findById(followeeId);
		if (!followee) return refused('noSuchUser');
		// The unique index settles a race between two identical requests.
		const inserted = await this.followings.createQueryBuilder()
			.insert()
			.values({ id: generateHostId(), createdAt: new Date(), followerId: follower.id, followeeId: followee.id })
			.orIgnore()
			.returning('id')
			.execute();
		if ((inserted.raw as unknown[]).length === 0) return refused('alreadyFollowing');
		this.relay.raise('followCreated', (events) => events.followCreated({ follower: userRef(follower), followee: userRef(followee) }));
		return succeeded(followee);
	}

	/** `follower` stops following `followeeId`; raises `followDeleted` initiated by the follower. Resolves to the followee. */
	async unfollow(follower: UserEntity, followeeId: string): Promise<Outcome<UserEntity, UnfollowRefusal>> {
		if (follower.id === followeeId) return refused('followeeIsYourself');
		const followee = await this.userService.findById(followeeId);
		if (!followee) return refused('noSuchUser');
		const deleted = await this.followings.delete({ followerId: follower.id, followeeId: followee.id });
		if (!deleted.affected) return refused('notFollowing');
		this.relay.raise('followDeleted', (events) => events.followDeleted({
			follower: userRef(follower),
			followee: userRef(followee),
			initiatedBy: 'follower',
		}));
		return succeeded(followee);
	}
}
