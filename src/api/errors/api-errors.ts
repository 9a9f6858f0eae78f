/** Misskey's error kinds: `client` (default) → 400, `permission` → 403, anything else → 500. */
export type ApiErrorKind = 'client' | 'permission' | 'server';

/** The RFC 6750 error code a Bearer challenge names; absent when the request carried no credential at all. */
export type BearerChallengeError = 'invalid_token' | 'invalid_request' | 'insufficient_scope';

/** One API error as data: Misskey's `{ message, code, id }` with its kind and resolved HTTP status. */
export interface ApiErrorDefinition {
	readonly code: string;
	readonly id: string;
	readonly message: string;
	readonly kind: ApiErrorKind;
	readonly httpStatus: number;
	/** Set only where Misskey names a challenge other than the one its kind implies. */
	readonly bearerError?: BearerChallengeError;
}

/** Fills `kind` and `httpStatus` as Misskey's ApiError does: explicit status, else client → 400, permission → 403, else 500. */
export function defineApiError(input: Omit<ApiErrorDefinition, 'kind' | 'httpStatus'> & { kind?: ApiErrorKind; httpStatus?: number }): ApiErrorDefinition {
	const kind = input.kind ?? 'client';
	const httpStatus = input.httpStatus ?? (kind === 'client' ? 400 : kind === 'permission' ? 403 : 500);
	return Object.freeze({ ...input, kind, httpStatus });
}

/** The calling convention's own errors, in the order the calling convention checks them, plus INTERNAL_ERROR. */
export const commonApiErrors = {
	authenticationFailed: defineApiError({
		code: 'AUTHENTICATION_FAILED',
		id: 'b0a7f5f8-dc2f-4171-b91f-de88ad238e14',
		message: 'Authentication failed. Please ensure your token is correct.',
		httpStatus: 401,
		bearerError: 'invalid_token',
	}),
	accessDenied: defineApiError({
		code: 'ACCESS_DENIED',
		id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e',
		message: 'Access denied.',
	}),
	rateLimitExceeded: defineApiError({
		code: 'RATE_LIMIT_EXCEEDED',
		id: 'd5826d14-3982-4d2e-8011-b9e9f02499ef',
		message: 'Rate limit exceeded. Please try again later.',
		httpStatus: 429,
	}),
	credentialRequired: defineApiError({
		code: 'CREDENTIAL_REQUIRED',
		id: '1384574d-a912-4b81-8601-c7b1c4085df1',
		message: 'Credential required.',
		httpStatus: 401,
	}),
	yourAccountSuspended: defineApiError({
		code: 'YOUR_ACCOUNT_SUSPENDED',
		id: 'a8c724b3-6e9c-4b46-b1a8-bc3ed6258370',
		message: 'Your account has been suspended.',
		kind: 'permission',
		httpStatus: 403,
	}),
	rolePermissionDenied: defineApiError({
		code: 'ROLE_PERMISSION_DENIED',
		id: 'd33d5333-db36-423d-a8f9-1a2b9549da41',
		message: 'You are not assigned to a moderator role.',
		kind: 'permission',
	}),
	permissionDenied: defineApiError({
		code: 'PERMISSION_DENIED',
		id: '1370e5b7-d4eb-4566-bb1d-7748ee6a1838',
		message: 'Your app does not have the necessary permissions to use this endpoint.',
		kind: 'permission',
		bearerError: 'insufficient_scope',
	}),
	/**
	 * Also answers a body that is not JSON or not `application/json`: Misskey has no error of its own for those
	 * (its server framework answers a bare 400), so we reuse INVALID_PARAM and say why in `info.reason`.
	 */
	invalidParam: defineApiError({
		code: 'INVALID_PARAM',
		id: '3d81ceae-475f-4600-b2a8-2bc116157532',
		message: 'Invalid param.',
	}),
	internalError: defineApiError({
		code: 'INTERNAL_ERROR',
		id: '5d37dbcb-891e-41ca-a3d6-e690c97775ac',
		message: 'Internal error occurred. Please contact us if the error persists.',
		kind: 'server',
	}),
} as const;

const noSuchWebhookMessage = 'No such webhook.';

/** The `i/webhooks/*` endpoint errors: each endpoint has its own NO_SUCH_WEBHOOK id. */
export const webhookApiErrors = {
	tooManyWebhooks: defineApiError({ code: 'TOO_MANY_WEBHOOKS', id: '87a9bb19-111e-4e37-81d3-a3e7426453b0', message: 'You cannot create webhook any more.' }),
	noSuchWebhookOnShow: defineApiError({ code: 'NO_SUCH_WEBHOOK', id: '50f614d9-3047-4f7e-90d8-ad6b2d5fb098', message: noSuchWebhookMessage }),
	noSuchWebhookOnUpdate: defineApiError({ code: 'NO_SUCH_WEBHOOK', id: 'fb0fea69-da18-45b1-828d-bd4fd1612518', message: noSuchWebhookMessage }),
	noSuchWebhookOnDelete: defineApiError({ code: 'NO_SUCH_WEBHOOK', id: 'bae73e5a-5522-4965-ae19-3a8688e71d82', message: noSuchWebhookMessage }),
	noSuchWebhookOnTest: defineApiError({ code: 'NO_SUCH_WEBHOOK', id: '0c52149c-e913-18f8-5dc7-74870bfe0cf9', message: noSuchWebhookMessage }),
	/** Ours: not http(s), credentials in it, unparsable, or a literal address the guard blocks; `info.reason` names the rule. */
	invalidWebhookUrl: defineApiError({ code: 'INVALID_WEBHOOK_URL', id: '4d1bea1d-0d8d-4a1b-b886-f6f3d8959c08', message: 'The webhook URL is not allowed.' }),
} as const;

/** An API error raised by the calling convention or a handler: a definition plus optional `info` (Misskey `ApiError`). */
export class ApiError extends Error {
	constructor(
		readonly definition: ApiErrorDefinition,
		readonly info?: Record<string, unknown>,
	) {
		super(definition.message);
		this.name = 'ApiError';
	}
}

/** The JSON body of every error reply (Misskey `ApiCallService.send`). */
export interface ApiErrorEnvelope {
	error: {
		message: string;
		code: string;
		id: string;
		kind: ApiErrorKind;
		info?: Record<string, unknown>;
	};
}

/** Writes Misskey's envelope `{ error: { message, code, id, kind, info? } }`; `info` is omitted when absent. */
export function errorEnvelope(error: ApiError): ApiErrorEnvelope {
	const { message, code, id, kind } = error.definition;
	return { error: { message, code, id, kind, ...(error.info ? { info: error.info } : {}) } };
}

/**
 * The headers of an error reply, as Misskey 2025.9 sets them:
 * a 401 without a named challenge gets the bare `Bearer realm="Misskey"` (no error code when no
 * credential was sent); client errors get `invalid_request`; PERMISSION_DENIED `insufficient_scope`; an unknown token
 * `invalid_token`; RATE_LIMIT_EXCEEDED also `Retry-After` = ⌈(resetMs − now) / 1000⌉ s, at least 0.
 */
export function errorHeaders(error: ApiError, nowMs: number = Date.now()): Record<string, string> {
	const { kind, httpStatus, message, bearerError } = error.definition;
	const headers: Record<string, string> = {};
	const challenge = bearerError ?? (httpStatus === 401 ? null : kind === 'client' ? 'invalid_request' : undefined);
	if (challenge === null) headers['www-authenticate'] = 'Bearer realm="Misskey"';
	else if (challenge !== undefined) headers['www-authenticate'] = `Bearer realm="Misskey", error="${challenge}", error_description="${message}"`;
	const resetMs = error.definition === commonApiErrors.rateLimitExceeded ? error.info?.resetMs : undefined;
	if (typeof resetMs === 'number') headers['retry-after'] = String(Math.max(0, Math.ceil((resetMs - nowMs) / 1000)));
	return headers;
}
