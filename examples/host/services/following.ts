import type { DataSource, Repository } from 'typeorm';
import { FollowingEntity, FollowRequestEntity, type UserEntity } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { refused, succeeded, type Outcome } from '../outcome.js';
import type { UserService } from './users.js';

/** Why a follow or unfollow is refused (Misskey's `following/create` and `following/delete` errors). */
export type FollowRefusal = 'noSuchUser' | 'followeeIsYourself' | 'alreadyFollowing';
export type UnfollowRefusal = 'noSuchUser' | 'followeeIsYourself' | 'notFollowing';
/** Why accepting a follow request is refused (Misskey's `following/requests/accept` errors). */
export type AcceptRefusal = 'noSuchUser' | 'noFollowRequest';

const userRef = (user: UserEntity) => ({ id: user.id, host: user.host });

/** Follow relations; a follow of a locked account is a request until the followee accepts or rejects it. */
export class FollowingService {
	private readonly followings: Repository<FollowingEntity>;

	constructor(private readonly dataSource: DataSource, private readonly userService: UserService, private readonly relay: EventRelay) {
		this.followings = dataSource.getRepository(FollowingEntity);
	}

	/**
	 * `follower` follows `followeeId`; raises `followCreated`. A locked followee gets a request instead (raising
	 * `followRequestCreated`; a repeated request replaces the last, as in Misskey). Resolves to the followee.
	 */
	async follow(follower: UserEntity, followeeId: string): Promise<Outcome<UserEntity, FollowRefusal>> {
		if (follower.id === followeeId) return refused('followeeIsYourself');
		const followee = await this.userService.findById(followeeId);
		if (!followee) return refused('noSuchUser');
		if (followee.isLocked) {
			if (await this.followings.existsBy({ followerId: follower.id, followeeId: followee.id })) return refused('alreadyFollowing');
			await this.dataSource.transaction(async (manager) => {
				await manager.delete(FollowRequestEntity, { followerId: follower.id, followeeId: followee.id });
				await manager.insert(FollowRequestEntity, { id: generateHostId(), createdAt: new Date(), followerId: follower.id, followeeId: followee.id });
				await this.relay.inTransaction(manager, (events, options) => events.followRequestCreated({ follower: userRef(follower), followee: userRef(followee) }, options));
			});
			return succeeded(followee);
		}
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

	/**
	 * `followee` accepts the request of `followerId`: the follow is inserted and raises `followCreated` and
	 * `followRequestAccepted` in the same transaction. Resolves to the requester.
	 */
	async acceptRequest(followee: UserEntity, followerId: string): Promise<Outcome<UserEntity, AcceptRefusal>> {
		const follower = await this.userService.findById(followerId);
		if (!follower) return refused('noSuchUser');
		const accepted = await this.dataSource.transaction(async (manager) => {
			const removed = await manager.delete(FollowRequestEntity, { followerId: follower.id, followeeId: followee.id });
			if (!removed.affected) return false;
			await manager.createQueryBuilder(FollowingEntity, 'following')
				.insert()
				.values({ id: generateHostId(), createdAt: new Date(), followerId: follower.id, followeeId: followee.id })
				.orIgnore()
				.execute();
			const refs = { follower: userRef(follower), followee: userRef(followee) };
			await this.relay.inTransaction(manager, (events, options) => events.followCreated(refs, options));
			await this.relay.inTransaction(manager, (events, options) => events.followRequestAccepted(refs, options));
			return true;
		});
		return accepted ? succeeded(follower) : refused('noFollowRequest');
	}

	/**
	 * `followee` rejects the request of `followerId`; raises `followRequestRejected` when there was one (Misskey answers
	 * alike either way). Resolves to the requester.
	 */
	async rejectRequest(followee: UserEntity, followerId: string): Promise<Outcome<UserEntity, 'noSuchUser'>> {
		const follower = await this.userService.findById(followerId);
		if (!follower) return refused('noSuchUser');
		await this.dataSource.transaction(async (manager) => {
			const removed = await manager.delete(FollowRequestEntity, { followerId: follower.id, followeeId: followee.id });
			if (!removed.affected) return;
			await this.relay.inTransaction(manager, (events, options) => events.followRequestRejected({ follower: userRef(follower), followee: userRef(followee) }, options));
		});
		return succeeded(follower);
	}
}
