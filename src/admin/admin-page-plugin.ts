import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

/** How a host serves the admin page (registered with `{ prefix: '/admin/webhooks' }`). */
export interface AdminPagePluginOptions {
	/** Where the page finds Misskey's API: a path on the same origin or an absolute http(s) URL. Default `/api`. */
	apiBase?: string;
}

/** The page's static files besides index.html, with their content types; nothing else is served. */
const assetContentTypes: Readonly<Record<string, string>> = {
	'admin.css': 'text/css; charset=utf-8',
	'admin.js': 'text/javascript; charset=utf-8',
	'api-client.js': 'text/javascript; charset=utf-8',
	'dom.js': 'text/javascript; charset=utf-8',
	'webhook-status.js': 'text/javascript; charset=utf-8',
	'dialogs.js': 'text/javascript; charset=utf-8',
	'system-webhooks.js': 'text/javascript; charset=utf-8',
	'user-webhooks.js': 'text/javascript; charset=utf-8',
};

// Markers in index.html that the plugin fills in; a template without them is a bug, caught at registration.
const BASE_MARKER = '<base href="./">';
const API_BASE_MARKER = 'data-api-base="/api"';

/** The headers every answer carries: no sniffing, no framing, no inline script, data only from ourselves and the API. */
function securityHeaders(apiOrigin: string | null): Record<string, string> {
	const connect = apiOrigin === null ? "'self'" : `'self' ${apiOrigin}`;
	return {
		'content-security-policy': [
			"default-src 'self'",
			"script-src 'self'",
			"style-src 'self'",
			"img-src 'self' data:",
			`connect-src ${connect}`,
			"object-src 'none'",
			"base-uri 'self'",
			"form-action 'none'",
			"frame-ancestors 'none'",
		].join('; '),
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'no-referrer',
	};
}

/** The origin to allow in `connect-src` when the API lives elsewhere; null when it is a path on this origin. */
function apiOriginOf(apiBase: string): string | null {
	if (apiBase.startsWith('/') && !apiBase.startsWith('//')) return null;
	const url = URL.canParse(apiBase) ? new URL(apiBase) : null;
	if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new TypeError(`adminPagePlugin apiBase must be a path or an http(s) URL: ${apiBase}`);
	return url.origin;
}

function escapeAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Fills the template: relative asset URLs resolve under the plugin's prefix (with or without a trailing slash). */
function renderIndex(template: string, prefix: string, apiBase: string): string {
	if (!template.includes(BASE_MARKER) || !template.includes(API_BASE_MARKER)) throw new Error('admin page template lacks its base or data-api-base marker');
	return template
		.replace(BASE_MARKER, `<base href="${escapeAttribute(`${prefix}/`)}">`)
		.replace(API_BASE_MARKER, `data-api-base="${escapeAttribute(apiBase.replace(/\/+$/, ''))}"`);
}

async function readAdminFile(name: string): Promise<string> {
	return readFile(new URL(`./${name}`, import.meta.url), 'utf8');
}

/**
 * The admin page as an encapsulated Fastify plugin (not wrapped by fastify-plugin, so the host's prefix applies):
 * `GET /` is index.html (`no-store`), the assets are revalidated by ETag; every answer has a strict CSP and nosniff.
 */
export const adminPagePlugin: FastifyPluginAsync<AdminPagePluginOptions> = async (fastify, options) => {
	const apiBase = options.apiBase ?? '/api';
	const headers = securityHeaders(apiOriginOf(apiBase));
	const html = renderIndex(await readAdminFile('index.html'), fastify.prefix, apiBase);

	fastify.get('/', async (_request, reply) => {
		return reply.headers(headers).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
	});

	for (const [name, contentType] of Object.entries(assetContentTypes)) {
		const body = await readAdminFile(name);
		const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
		fastify.get(`/${name}`, async (request, reply) => {
			// Small files that change only with the module: revalidate each time, answer 304 when unchanged.
			reply.headers(headers).header('cache-control', 'no-cache').header('etag', etag);
			if (request.headers['if-none-match'] === etag) return reply.code(304).send();
			return reply.type(contentType).send(body);
		});
	}
};
