import assert from 'node:assert/strict';
import { ApiError, commonApiErrors, errorEnvelope, errorHeaders, webhookApiErrors } from '../../src/api/errors/api-errors.js';
import { readJsonBody } from '../../src/api/http/request-body.js';

describe('API errors as data', () => {
	it('statuses follow Misskey: explicit, else client 400, permission 403, server 500', () => {
		assert.equal(commonApiErrors.authenticationFailed.httpStatus, 401);
		assert.equal(commonApiErrors.rateLimitExceeded.httpStatus, 429);
		assert.equal(commonApiErrors.accessDenied.httpStatus, 400);
		assert.equal(commonApiErrors.permissionDenied.httpStatus, 403);
		assert.equal(commonApiErrors.internalError.httpStatus, 500);
		assert.equal(webhookApiErrors.tooManyWebhooks.httpStatus, 400);
	});

	it('every NO_SUCH_WEBHOOK has its own endpoint id', () => {
		const ids = [webhookApiErrors.noSuchWebhookOnShow, webhookApiErrors.noSuchWebhookOnUpdate, webhookApiErrors.noSuchWebhookOnDelete, webhookApiErrors.noSuchWebhookOnTest].map((e) => e.id);
		assert.deepEqual(ids, ['50f614d9-3047-4f7e-90d8-ad6b2d5fb098', 'fb0fea69-da18-45b1-828d-bd4fd1612518', 'bae73e5a-5522-4965-ae19-3a8688e71d82', '0c52149c-e913-18f8-5dc7-74870bfe0cf9']);
	});

	it('the envelope omits info when there is none and carries it when there is', () => {
		assert.deepEqual(errorEnvelope(new ApiError(commonApiErrors.accessDenied)), { error: { message: 'Access denied.', code: 'ACCESS_DENIED', id: '56f35758-7dd5-468b-8439-5d6fb8ec9b8e', kind: 'client' } });
		assert.deepEqual(errorEnvelope(new ApiError(commonApiErrors.invalidParam, { param: '#/required', reason: 'r' })).error.info, { param: '#/required', reason: 'r' });
	});

	it('Retry-After rounds the wait up to whole seconds', () => {
		const headers = errorHeaders(new ApiError(commonApiErrors.rateLimitExceeded, { resetMs: 10_001 }), 0);
		assert.equal(headers['retry-after'], '11');
	});

	it('Retry-After is never negative', () => {
		const headers = errorHeaders(new ApiError(commonApiErrors.rateLimitExceeded, { resetMs: 1_000 }), 5_000);
		assert.equal(headers['retry-after'], '0');
	});

	it('a suspended account and an internal error carry no Bearer challenge', () => {
		assert.deepEqual(errorHeaders(new ApiError(commonApiErrors.yourAccountSuspended)), {});
		assert.deepEqual(errorHeaders(new ApiError(commonApiErrors.internalError)), {});
	});
});

describe('readJsonBody', () => {
	it('reads application/json with any parameters', () => {
		assert.deepEqual(readJsonBody('Application/JSON; charset=utf-8', '{"a":1}'), { ok: true, body: { a: 1 } });
	});

	it('treats an empty or blank body as {} whatever the content type', () => {
		assert.deepEqual(readJsonBody(undefined, ''), { ok: true, body: {} });
		assert.deepEqual(readJsonBody('application/json', '  \n'), { ok: true, body: {} });
		assert.deepEqual(readJsonBody('text/plain', ''), { ok: true, body: {} });
	});

	it('refuses a body without a content type', () => {
		const result = readJsonBody(undefined, '{"a":1}');
		assert.equal(result.ok, false);
		if (!result.ok) assert.deepEqual(result.error.info, { param: 'Content-Type', reason: 'the body must be application/json, not unspecified' });
	});

	it('refuses malformed JSON with INVALID_PARAM', () => {
		const result = readJsonBody('application/json', '{');
		assert.equal(result.ok, false);
		if (!result.ok) {
			assert.equal(result.error.definition, commonApiErrors.invalidParam);
			assert.equal(result.error.info?.param, 'body');
		}
	});
});
