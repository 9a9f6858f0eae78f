// Misskey's calling convention from the browser: POST <apiBase>/<endpoint>, JSON body, the token as Bearer.
// Every call resolves to an outcome, never throws, so each caller shows errors the same way.

/**
 * @typedef {{ code: string, message: string, id?: string, info?: Record<string, unknown> }} ApiFailure
 * @typedef {{ ok: false, error: ApiFailure }} ApiRefusal
 * @typedef {{ ok: true, body: any } | ApiRefusal} ApiOutcome
 * @typedef {(endpoint: string, params: Record<string, unknown>) => Promise<ApiOutcome>} ApiCall
 * @typedef {{ error(error: ApiFailure): void, notice(text: string): void }} PageReport
 */

/**
 * The API as a signed-in page calls it: with the token `currentToken()` gives now, refused without one.
 * @param {string} apiBase e.g. `/api`
 * @param {() => string | null} currentToken
 * @returns {ApiCall}
 */
export function signedInApi(apiBase, currentToken) {
	return (endpoint, params) => {
		const token = currentToken();
		if (token === null) return Promise.resolve(transportFailure('CREDENTIAL_REQUIRED', 'Sign in first.'));
		return callApi(apiBase, token, endpoint, params);
	};
}

/** An error the page makes up when the server gave no Misskey error envelope . */
/**
 * @param {string} code
 * @param {string} message
 * @returns {ApiRefusal}
 */
function transportFailure(code, message) {
	return { ok: false, error: { code, message } };
}

/**
 * Calls one endpoint: 200 with JSON or 204 → ok; an `{ error: { code, message, id } }` answer → its error.
 * @param {string} apiBase e.g. `/api`
 * @param {string} token
 * @param {string} endpoint e.g. `admin/system-webhook/list`
 * @param {Record<string, unknown>} params
 * @returns {Promise<ApiOutcome>}
 */
export async function callApi(apiBase, token, endpoint, params) {
	let response;
	try {
		response = await fetch(`${apiBase}/${endpoint}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(params),
			credentials: 'omit',
			cache: 'no-store',
		});
	} catch {
		return transportFailure('NETWORK_ERROR', 'The server could not be reached.');
	}
	const text = await response.text().catch(() => '');
	let body;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		body = undefined;
	}
	if (response.ok) return { ok: true, body };
	const error = body?.error;
	if (error && typeof error.code === 'string' && typeof error.message === 'string') {
		const info = error.info !== null && typeof error.info === 'object' ? error.info : undefined;
		return { ok: false, error: { code: error.code, message: error.message, id: typeof error.id === 'string' ? error.id : undefined, info } };
	}
	return transportFailure(`HTTP_${response.status}`, response.statusText || 'The server answered without an error description.');
}

/** How an error reads on the page: `CODE: message`, Misskey's code first because it is what people search for. */
/** @param {ApiFailure} error */
export function describeApiError(error) {
	return `${error.code}: ${error.message}`;
}
