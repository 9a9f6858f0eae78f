import { randomUUID } from 'node:crypto';
import { Ajv } from 'ajv';
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { UserEntity } from '../entities/index.js';
import type { HostServices } from '../services/index.js';
import type { EndpointOutcome, HostEndpoint } from './endpoint.js';
import { conventionErrors, type ApiErrorDefinition } from './errors.js';

/** The body of an error reply: `{ error: { message, code, id, kind, info? } }` (Misskey ApiError). */
function errorEnvelope(error: ApiErrorDefinition, info?: unknown) {
	return { error: { message: error.message, code: error.code, id: error.id, kind: error.kind, ...(info === undefined ? {} : { info }) } };
}

// Misskey sends a Bearer challenge with its authentication errors.
function challengeFor(error: ApiErrorDefinition): Record<string, string> {
	if (error === conventionErrors.authenticationFailed) return { 'www-authenticate': 'Bearer realm="Misskey", error="invalid_token"' };
	if (error === conventionErrors.credentialRequired) return { 'www-authenticate': 'Bearer realm="Misskey"' };
	return {};
}

function sendError(reply: FastifyReply, error: ApiErrorDefinition, info?: unknown): FastifyReply {
	return reply.code(error.httpStatus).headers(challengeFor(error)).send(errorEnvelope(error, info));
}

function sendOutcome(reply: FastifyReply, outcome: EndpointOutcome): FastifyReply {
	switch (outcome.kind) {
		case 'ok': return reply.code(200).send(outcome.body);
		case 'noContent': return reply.code(204).send();
		case 'error': return sendError(reply, outcome.error);
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the host's API plugin needs. */
export interface HostApiOptions {
	endpoints: ReadonlyArray<HostEndpoint<never>>;
	services: HostServices;
	logError: (message: string, error: unknown) => void;
}

/**
 * The host's endpoints under Misskey's calling convention: `POST /<name>` (register with `{ prefix: '/api' }`),
 * credential from `Authorization: Bearer` (wins) or body `i`, then AUTHENTICATION_FAILED → CREDENTIAL_REQUIRED →
 * ROLE_PERMISSION_DENIED → INVALID_PARAM → handler, errors in Misskey's envelope, 204 for an empty answer.
 */
export function createHostApiPlugin(options: HostApiOptions): FastifyPluginAsync {
	return async (fastify) => {
		const ajv = new Ajv({ useDefaults: true });
		ajv.addFormat('misskey:id', /^[a-zA-Z0-9]+$/);

		// Bodies the framework cannot read (malformed JSON, empty JSON) are the client's fault: keep the 4xx, use the envelope.
		fastify.setErrorHandler((error: FastifyError, _request, reply) => {
			if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
				return reply.code(error.statusCode).send(errorEnvelope(conventionErrors.invalidParam, { param: 'body', reason: error.message }));
			}
			options.logError('request failed outside an endpoint', error);
			return sendError(reply, conventionErrors.internalError);
		});

		for (const endpoint of options.endpoints) {
			const validate = ajv.compile(endpoint.params);
			fastify.post(`/${endpoint.name}`, async (request, reply) => {
				const body = request.body ?? {};
				const authorization = request.headers.authorization;
				const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : (isRecord(body) ? body.i ?? null : null);
				// Misskey answers a non-string `i` with a bare 400 before anything else.
				if (token !== null && typeof token !== 'string') return reply.code(400).send();

				let me: UserEntity | null = null;
				if (token !== null) {
					me = await options.services.users.findByToken(token);
					if (!me) return sendError(reply, conventionErrors.authenticationFailed);
				}
				let invoke: (params: never) => Promise<EndpointOutcome>;
				if (endpoint.requireCredential) {
					if (!me) return sendError(reply, conventionErrors.credentialRequired);
					if (endpoint.requireModerator && !(me.isAdmin || me.isModerator)) return sendError(reply, conventionErrors.rolePermissionDenied);
					const caller = me;
					invoke = (params) => endpoint.handler(params, caller, options.services);
				} else {
					const caller = me;
					invoke = (params) => endpoint.handler(params, caller, options.services);
				}

				const params = isRecord(body) ? { ...body } : body;
				if (isRecord(params)) delete params.i;
				if (!validate(params)) {
					const first = validate.errors?.[0];
					return sendError(reply, conventionErrors.invalidParam, { param: first?.schemaPath ?? '#', reason: first?.message ?? 'invalid' });
				}

				try {
					return sendOutcome(reply, await invoke(params as never));
				} catch (error) {
					const id = randomUUID();
					options.logError(`internal error ${id} in ${endpoint.name}`, error);
					const cause = error instanceof Error ? error : new Error(String(error));
					return sendError(reply, conventionErrors.internalError, { e: { message: cause.message, code: cause.name, id } });
				}
			});
		}
	};
}
