import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import type { DeliveryAgents } from './agents.js';

/**
 * Makes the request with only the options got set: got hands Node many it left undefined, which Node copies for every
 * request although it reads an undefined option as an absent one (docs/performance.md).
 */
function requestWithDefinedOptions(url: URL, options: RequestOptions, callback?: (response: IncomingMessage) => void): ClientRequest {
	const defined: Record<string, unknown> = {};
	for (const key in options) {
		const value = (options as Record<string, unknown>)[key];
		if (value !== undefined) defined[key] = value;
	}
	return (url.protocol === 'https:' ? https : http).request(url, defined, callback);
}

/**
 * The got client every delivery goes through: one attempt per call (no redirects followed, no retries, no status
 * thrown), no decompression (the body is never read for meaning), and a deadline from start to headers.
 */
export function createDeliveryHttpClient(input: { agents: DeliveryAgents; requestTimeoutMs: number }): Got {
	const client = got.extend({
		agent: { http: input.agents.http, https: input.agents.https },
		followRedirect: false,
		retry: { limit: 0 },
		throwHttpErrors: false,
		decompress: false,
		request: requestWithDefinedOptions,
		// Covers start to headers; a body still arriving past it is cut off (the status is already known).
		timeout: { request: input.requestTimeoutMs },
		// Only so the cache options can be emptied below; nothing changes the defaults after that.
		mutableDefaults: true,
	});
	// got spreads its cache options into every request's Node options, which costs each request time and garbage
	// (docs/performance.md); the cache is off, so they are never read.
	client.defaults.options.cacheOptions = {};
	return client;
}
