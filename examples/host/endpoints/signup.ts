import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';

interface SignupParams {
	username: string;
	password: string;
}

/** `signup`: creates a local account and answers it packed with its native `token`; the first account is the administrator. */
export const signupEndpoint = defineEndpoint({
	name: 'signup',
	requireCredential: false,
	params: {
		type: 'object',
		properties: {
			// Misskey's local username rule.
			username: { type: 'string', pattern: '^\\w{1,20}$' },
			password: { type: 'string', minLength: 1 },
		},
		required: ['username', 'password'],
	},
	async handler(params: SignupParams, _me, services) {
		const created = await services.users.signup(params.username, params.password);
		if (!created.ok) return fail(endpointErrors.usernameTaken);
		return ok({ ...(await services.packer.me(created.value)), token: created.value.token });
	},
});
