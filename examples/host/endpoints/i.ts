import { defineEndpoint, ok } from '../api/endpoint.js';

/** `i`: the caller's own account. */
export const iEndpoint = defineEndpoint({
	name: 'i',
	requireCredential: true,
	params: { type: 'object', properties: {} },
	async handler(_params: Record<string, never>, me, services) {
		return ok(await services.packer.me(me));
	},
});
