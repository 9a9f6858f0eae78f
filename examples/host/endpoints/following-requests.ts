import { defineEndpoint, fail, noContent } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';
import type { AcceptRefusal } from '../services/following.js';

const acceptErrors = {
	noSuchUser: endpointErrors.noSuchUserToAccept,
	noFollowRequest: endpointErrors.noFollowRequest,
} satisfies Record<AcceptRefusal, unknown>;

const userIdParams = {
	type: 'object',
	properties: { userId: { type: 'string', format: 'misskey:id' } },
	required: ['userId'],
} as const;

/** `following/requests/accept`: the caller accepts the user's follow request; 204. */
export const followingRequestsAcceptEndpoint = defineEndpoint({
	name: 'following/requests/accept',
	requireCredential: true,
	params: userIdParams,
	async handler(params: { userId: string }, me, services) {
		const accepted = await services.following.acceptRequest(me, params.userId);
		return accepted.ok ? noContent() : fail(acceptErrors[accepted.reason]);
	},
});

/** `following/requests/reject`: the caller rejects the user's follow request; 204, whether there was one or not. */
export const followingRequestsRejectEndpoint = defineEndpoint({
	name: 'following/requests/reject',
	requireCredential: true,
	params: userIdParams,
	async handler(params: { userId: string }, me, services) {
		const rejected = await services.following.rejectRequest(me, params.userId);
		return rejected.ok ? noContent() : fail(endpointErrors.noSuchUserToReject);
	},
});
