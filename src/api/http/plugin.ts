import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ApiDependencies } from '../endpoint.js';
import { apiEndpoints } from '../endpoints/index.js';
import { createApiCaller, type ApiReply } from './call.js';
import { ApiError, commonApiErrors, errorEnvelope, errorHeaders } from '../errors/api-errors.js';
import { readJsonBody } from './request-body.js';
import { createRateLimiter } from './rate-limiter.js';

/** Misskey's body limit for JSON endpoints. */
const jsonBodyLimitBytes = 1024 * 1024;

/**
 * The API as an encapsulated Fastify plugin (not wrapped by fastify-plugin, so the host's `{ prefix: '/api' }` applies):
 * `POST /<name>` per endpoint, Misskey's calling convention, bodies read by our own parser so bad input is answered
 * with the error envelope. Its parsers, hooks and error handler stay inside its scope; `onClose` releases Redis.
 */
export function createApiPlugin(deps: ApiDependencies): FastifyPluginAsync {
	return async (fastify) => {
		const rateLimiter = createRateLimiter({ enabled: deps.options.rateLimit, redisUrl: deps.options.redisUrl, serverHost: deps.options.serverHost, logger: deps.options.logger.child({ module: 'misskey-webhooks' }) });
		fastify.addHook('onClose', async () => rateLimiter.close());
		const call = createApiCaller({ ...deps, rateLimiter });

		// Every body arrives as text; readJsonBody decides what is acceptable, so no framework error page leaks out.
		fastify.removeAllContentTypeParsers();
		fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: jsonBodyLimitBytes }, (_request, text, done) => done(null, text));

		fastify.setErrorHandler((error: FastifyError, request, reply) => {
			// Framework errors before our handler (body too large, aborted upload, ...) are the client's: keep their 4xx status.
			const status = error.statusCode;
			if (status !== undefined && status >= 400 && status < 500) {
				const apiError = new ApiError(commonApiErrors.invalidParam, { param: 'body', reason: error.code ?? 'unreadable body' });
				return send(reply, { status, headers: errorHeaders(apiError), body: errorEnvelope(apiError) });
			}
			request.log.error({ err: error }, 'API request failed outside an endpoint');
			const apiError = new ApiError(commonApiErrors.internalError);
			return send(reply, { status: 500, headers: {}, body: errorEnvelope(apiError) });
		});

		for (const endpoint of apiEndpoints) {
			fastify.post(`/${endpoint.name}`, async (request, reply) => {
				const text = typeof request.body === 'string' ? request.body : '';
				const read = readJsonBody(request.headers['content-type'], text);
				if (!read.ok) return send(reply, { status: read.error.definition.httpStatus, headers: errorHeaders(read.error), body: errorEnvelope(read.error) });
				return send(reply, await call(endpoint, { authorization: request.headers.authorization, body: read.body, ip: request.ip, log: request.log }));
			});
			// Misskey answers GET on an endpoint without `allowGet` with an empty 405.
			fastify.get(`/${endpoint.name}`, async (_request, reply) => reply.code(405).send());
		}
	};
}

function send(reply: FastifyReply, answer: ApiReply): FastifyReply {
	// Misskey marks every API answer uncacheable.
	reply.code(answer.status).headers({ 'cache-control': 'private, max-age=0, must-revalidate', ...answer.headers });
	return answer.body === undefined ? reply.send() : reply.send(answer.body);
}
