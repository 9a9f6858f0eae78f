import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';

type UsersShowParams = { userId: string } | { username: string };

/** `users/show`: a user by `userId` or local `username`, as UserDetailedNotMe from the caller's point of view. */
export const usersShowEndpoint = defineEndpoint({
	name: 'users/show',
	requireCredential: false,
	params: {
		type: 'object',
		properties: {
			userId: { type: 'string', format: 'misskey:id' },
			username: { type: 'string' },
		},
		anyOf: [{ required: ['userId'] }, { required: ['username'] }],
	},
	async handler(params: UsersShowParams, me, services) {
		const user = 'userId' in params
			? await services.users.findById(params.userId)
			: await services.users.findLocalByUsername(params.username);
		if (!user) return fail(endpointErrors.noSuchUserToShow);
		return ok(await services.packer.userDetailed(user, me?.id ?? null));
	},
});
