import { ApiError, commonApiErrors } from '../errors/api-errors.js';

/** A request body read as JSON, or the error to answer instead. */
export type ReadBodyResult = { ok: true; body: unknown } | { ok: false; error: ApiError };

/**
 * Reads an API body as Misskey accepts it: JSON sent as `application/json` (any parameters, e.g. a charset), and an
 * empty body, with or without a content type, counts as `{}`.
 *
 * Misskey 2025.9 registers no other parser. A `text/plain` body (what a browser sends without a CORS preflight) reaches
 * its handler as a string, so neither `i` nor any param is read and the call fails; Misskey's CORS policy allows
 * `application/json` from any origin, so browsers never need text/plain. We therefore refuse every other content type
 * up front, and a malformed JSON body too, with INVALID_PARAM (400) rather than a framework error page.
 */
export function readJsonBody(contentType: string | undefined, text: string): ReadBodyResult {
	if (text.trim() === '') return { ok: true, body: {} };
	const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
	if (mediaType !== 'application/json') {
		return { ok: false, error: new ApiError(commonApiErrors.invalidParam, { param: 'Content-Type', reason: `the body must be application/json, not ${mediaType || 'unspecified'}` }) };
	}
	try {
		return { ok: true, body: JSON.parse(text) as unknown };
	} catch (error) {
		const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
		return { ok: false, error: new ApiError(commonApiErrors.invalidParam, { param: 'body', reason: `the body is not valid JSON${detail}` }) };
	}
}
