import { defineEndpoint, fail, ok } from '../api/endpoint.js';
import { endpointErrors } from '../api/errors.js';

interface SigninParams {
	username: string;
	password: string;
}

/** `signin`: checks a password and answers `{ id, i }` with the native token (Misskey's sign-in answer). */
export const signinEndpoint = defineEndpoint({
	name: 'signin',
	requireCredential: false,
	params: {
		type: 'object',
		properties: {
			username: { type: 'string', minLength: 1 },
			password: { type: 'string', minLength: 1 },
		},
		required: ['username', 'password'],
	},
	async handler(params: SigninParams, _me, services) {
		const signedIn = await services.users.signin(params.username, params.password);
		if (!signedIn.ok) return fail(endpointErrors.invalidCredentials);
		return ok({ id: signedIn.value.id, i: signedIn.value.token });
	},
});
