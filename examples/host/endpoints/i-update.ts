import { defineEndpoint, ok } from '../api/endpoint.js';

/** `i/update`, reduced to `isLocked`: answers the caller's account as `i` does. */
export const iUpdateEndpoint = defineEndpoint({
	name: 'i/update',
	requireCredential: true,
	params: {
		type: 'object',
		properties: { isLocked: { type: 'boolean' } },
	},
	async handler(params: { isLocked?: boolean }, me, services) {
		const user = params.isLocked === undefined ? me : await services.users.setLocked(me, params.isLocked);
		return ok(await services.packer.me(user));
	},
});
