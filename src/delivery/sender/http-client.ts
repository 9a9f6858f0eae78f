import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import type { DeliveryAgents } from './agents.js';

/**
 * Makes the request with only the options got set. got hands Node some thirty, most of them TLS fields left undefined,
 * and Node copies a request's options key by key into prototype-less objects twice (the request, then the agent): some
 * 10 µs a request for nothing, since Node reads an undefined option as an absent one.
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
	// got copies its cache options into every request's Node options, at the head of an object literal of some thirty
	// fields, and V8 builds a literal that starts by spreading a non-empty object on a slow path: about 20 µs and 20 KB
	// of garbage a request. The cache is off, so these options are never read.
	client.defaults.options.cacheOptions = {};
	return client;
}
