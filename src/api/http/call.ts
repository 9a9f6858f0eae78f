import { createHash, randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Caller } from '../../host.js';
import type { AnyEndpoint, ApiDependencies } from '../endpoint.js';
import { ApiError, commonApiErrors, errorEnvelope, errorHeaders } from '../errors/api-errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { addTextKeywords, isStorableText, withTextRules } from '../params/text-params.js';
import { addUniqueSetKeyword } from '../params/event-set-param.js';

/** One API request, already read from the transport. */
export interface ApiRequest {
	/** The `Authorization` header, if any. */
	authorization: string | undefined;
	/** The JSON body (normally an object; anything else fails param validation). */
	body: unknown;
	/** The client address; anonymous callers are rate-limited by its hash. */
	ip: string;
	/** Where an internal error is logged with its id; the reply only carries the id. */
	log: ApiErrorLogger;
}

/** The slice of a pino/Fastify logger the calling convention uses. */
export interface ApiErrorLogger {
	error(details: Record<string, unknown>, message: string): void;
}

/** What to answer: status, headers and a JSON body; no body means an empty reply (204, or the bare 400). */
export interface ApiReply {
	status: number;
	headers: Record<string, string>;
	body?: unknown;
}

/** Everything a handler's context holds except the caller, plus the limiter. */
export type ApiCallerDeps = ApiDependencies & { rateLimiter: RateLimiter };

/**
 * Misskey's param validator: Ajv 8 with defaults injected and the `misskey:id` format, plus our
 * `storableText` and `headerValue` keywords (see text-params.ts) and `uniqueSet` (see event-set-param.ts).
 */
export function createParamsAjv(): Ajv {
	const ajv = new Ajv({ useDefaults: true });
	ajv.addFormat('misskey:id', /^[a-zA-Z0-9]+$/);
	addTextKeywords(ajv);
	addUniqueSetKeyword(ajv);
	return ajv;
}

/**
 * Misskey's calling convention as one function: credential from `Authorization: Bearer` (case-sensitive,
 * wins) or body `i`, then the checks in the table's order, first failure wins, then the handler.
 */
export function createApiCaller(deps: ApiCallerDeps): (endpoint: AnyEndpoint, request: ApiRequest) => Promise<ApiReply> {
	const ajv = createParamsAjv();
	const validators = new Map<AnyEndpoint, ValidateFunction>();
	const validatorOf = (endpoint: AnyEndpoint): ValidateFunction => {
		let validate = validators.get(endpoint);
		if (!validate) {
			validate = ajv.compile(withTextRules(endpoint.params));
			validators.set(endpoint, validate);
		}
		return validate;
	};

	return async (endpoint, request) => {
		const token = credentialOf(request);
		// Misskey answers a non-string `i` with a bare 400, before anything else.
		if (token !== null && typeof token !== 'string') return { status: 400, headers: {} };
		try {
			const me = token === null ? null : await authenticate(deps, token);
			await checkAccess(deps, endpoint, me, request.ip);
			const params = validateParams(validatorOf(endpoint), request.body);
			const result = await endpoint.handler(params, { ...contextOf(deps), me });
			return result === undefined || result === null ? { status: 204, headers: {} } : { status: 200, headers: {}, body: result };
		} catch (thrown) {
			const error = thrown instanceof ApiError ? thrown : internalError(endpoint, thrown, request.log);
			return { status: error.definition.httpStatus, headers: errorHeaders(error), body: errorEnvelope(error) };
		}
	};
}

function credentialOf(request: ApiRequest): unknown {
	// The `Bearer` scheme is matched case-sensitively, as Misskey does.
	if (request.authorization?.startsWith('Bearer ')) return request.authorization.slice('Bearer '.length);
	const body = request.body;
	const i = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).i : undefined;
	return i ?? null;
}

async function authenticate(deps: ApiCallerDeps, token: string): Promise<Caller> {
	// No token holds NUL or an unpaired surrogate: refused before the host's lookup, which could not even query for it.
	if (!isStorableText(token)) throw new ApiError(commonApiErrors.authenticationFailed);
	const caller = await deps.host.authenticate(token);
	if (!caller) throw new ApiError(commonApiErrors.authenticationFailed);
	return caller;
}

// The calling convention's checks after the endpoint lookup, in Misskey's order.
async function checkAccess(deps: ApiCallerDeps, endpoint: AnyEndpoint, me: Caller | null, ip: string): Promise<void> {
	if (endpoint.secure && !(me && me.isNativeToken)) throw new ApiError(commonApiErrors.accessDenied);
	if (endpoint.limit) {
		const actor = me ? me.user.id : `ip-${createHash('sha256').update(ip).digest('hex').slice(0, 32)}`;
		const decision = await deps.rateLimiter.consume(`${endpoint.name}:${actor}`, endpoint.limit);
		if (!decision.allowed) throw new ApiError(commonApiErrors.rateLimitExceeded, { ...decision.info });
	}
	if (endpoint.requireCredential) {
		if (!me) throw new ApiError(commonApiErrors.credentialRequired);
		if (me.user.isSuspended) throw new ApiError(commonApiErrors.yourAccountSuspended);
	}
	if (endpoint.requireModerator && !me?.isModerator) throw new ApiError(commonApiErrors.rolePermissionDenied);
	if (me && !me.isNativeToken && !(me.permissions ?? []).includes(endpoint.kind)) {
		throw new ApiError(commonApiErrors.permissionDenied);
	}
}

function validateParams(validate: ValidateFunction, body: unknown): unknown {
	if (validate(body)) return body;
	const first = validate.errors?.[0];
	throw new ApiError(commonApiErrors.invalidParam, { param: first?.schemaPath ?? '#', reason: first?.message ?? 'invalid' });
}

function contextOf(deps: ApiCallerDeps): ApiDependencies {
	const { store, registry, delivery, systemStore, systemDelivery, host, options } = deps;
	return { store, registry, delivery, systemStore, systemDelivery, host, options };
}

// Misskey: a non-API error becomes INTERNAL_ERROR with a fresh id that is logged with the details; no stack in the reply.
function internalError(endpoint: AnyEndpoint, thrown: unknown, log: ApiErrorLogger): ApiError {
	const cause = thrown instanceof Error ? thrown : new Error(String(thrown));
	const id = randomUUID();
	log.error({ endpoint: endpoint.name, e: { message: cause.message, code: cause.name, stack: cause.stack, id } }, `Internal error occurred in ${endpoint.name}: ${cause.message}`);
	return new ApiError(commonApiErrors.internalError, { e: { message: cause.message, code: cause.name, id } });
}
