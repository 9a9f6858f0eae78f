import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { UnfollowRefusal } from '../services/following.js';

const refusalErrors = {
	noSuchUser: endpointErrors.noSuchUserToUnfollow,
	followeeIsYourself: endpointErrors.followeeIsYourselfOnUnfollow,
	notFollowing: endpointErrors.notFollowing,
} satisfies Record<UnfollowRefusal, unknown>;

/** `following/delete`: unfollows a user and answers the former followee as UserLite (as Misskey does). */
export const followingDeleteEndpoint = defineEndpoint({
	name: 'following/delete',
	requireCredential: true,
	params: {
		type: 'object',
		properties: { userId: { type: 'string', format: 'misskey:id' } },
		required: ['userId'],
	},
	async handler(params: { userId: string }, me, services) {
		const unfollowed = await services.following.unfollow(me, params.userId);
		if (!unfollowed.ok) return fail(refusalErrors[unfollowed.reason]);
		return ok(services.packer.userLite(unfollowed.value));
	},
});
