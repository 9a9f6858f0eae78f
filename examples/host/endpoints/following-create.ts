import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { FollowRefusal } from '../services/following.js';

const refusalErrors = {
	noSuchUser: endpointErrors.noSuchUserToFollow,
	followeeIsYourself: endpointErrors.followeeIsYourselfOnFollow,
	alreadyFollowing: endpointErrors.alreadyFollowing,
} satisfies Record<FollowRefusal, unknown>;

/** `following/create`: follows a user and answers the followee as UserLite (as Misskey does). */
export const followingCreateEndpoint = defineEndpoint({
	name: 'following/create',
	requireCredential: true,
	params: {
		type: 'object',
		properties: { userId: { type: 'string', format: 'misskey:id' } },
		required: ['userId'],
	},
	async handler(params: { userId: string }, me, services) {
		const followed = await services.following.follow(me, params.userId);
		if (!followed.ok) return fail(refusalErrors[followed.reason]);
		return ok(services.packer.userLite(followed.value));
	},
});
