import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

/** How a host serves one of the module's pages. */
export interface PagePluginOptions {
	/** Where the page finds Misskey's API: a path on the same origin or an absolute http(s) URL. Default `/api`. */
	apiBase?: string;
}

/** What a page's head holds of its own; the rest of the head is the same for every page. */
export interface PageHead {
	title: string;
	/** The page's own stylesheet and entry script, both among its assets. */
	stylesheet: string;
	script: string;
}

/** One static page: its index.html and the only other files it serves, each read from where it lives in the package. */
export interface StaticPage {
	/** Names the page in errors (`adminPagePlugin`, `userPagePlugin`). */
	name: string;
	head: PageHead;
	index: URL;
	/** URL name (served at `<prefix>/<name>`) → the file; the browser sees one flat folder, shared files included. */
	assets: Readonly<Record<string, URL>>;
}

const contentTypes: Readonly<Record<string, string>> = {
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
};

// The code shared by the pages lives here, served beside each page's own files.
const sharedDir = new URL('./', import.meta.url);

/** The browser files every page serves from this folder. */
const sharedAssets: Readonly<Record<string, URL>> = Object.fromEntries(
	['api-client.js', 'dom.js', 'dialogs.js', 'strings.js', 'strings-en.js', 'strings-ja.js', 'deliveries.js', 'formats.js', 'base.css', 'deliveries.css', 'webhook-status.css', 'chart.js'].map((name) => [name, new URL(name, sharedDir)]),
);

/**
 * A page's files: `index.html` and `ownFiles` from the page's folder (`pageModuleUrl` is a module in it), beside the
 * shared ones; nothing else is served.
 */
export function pageFiles(pageModuleUrl: string, ownFiles: readonly string[]): Pick<StaticPage, 'index' | 'assets'> {
	const here = (name: string) => new URL(`./${name}`, pageModuleUrl);
	return { index: here('index.html'), assets: { ...sharedAssets, ...Object.fromEntries(ownFiles.map((name) => [name, here(name)])) } };
}

// Markers in index.html that the plugin fills in; a template without them is a bug, caught at registration.
const HEAD_MARKER = '<!-- page head -->';
const API_BASE_MARKER = 'data-api-base="/api"';

/**
 * The headers every answer carries: no sniffing, no framing, no inline script, data only from ourselves and the API.
 * Framing is refused twice: `frame-ancestors` for browsers that read CSP, `X-Frame-Options` for those that do not.
 */
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
		'x-frame-options': 'DENY',
		'referrer-policy': 'no-referrer',
	};
}

/** The origin to allow in `connect-src` when the API lives elsewhere; null when it is a path on this origin. */
function apiOriginOf(page: string, apiBase: string): string | null {
	if (apiBase.startsWith('/') && !apiBase.startsWith('//')) return null;
	const url = URL.canParse(apiBase) ? new URL(apiBase) : null;
	if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new TypeError(`${page} apiBase must be a path or an http(s) URL: ${apiBase}`);
	return url.origin;
}

/** Escapes text for an attribute value or element content. */
function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The head: the shared stylesheet first (the page's own overrides it), the shared ones of the delivery log and status
 * after. `<base>` comes before every URL, so relative asset URLs resolve under the plugin's prefix (with or without a
 * trailing slash).
 */
function renderHead(head: PageHead, prefix: string): string {
	return [
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="referrer" content="no-referrer">',
		'<meta name="color-scheme" content="light dark">',
		`<base href="${escapeHtml(`${prefix}/`)}">`,
		`<title>${escapeHtml(head.title)}</title>`,
		...['base.css', head.stylesheet, 'webhook-status.css', 'deliveries.css'].map((name) => `<link rel="stylesheet" href="${escapeHtml(name)}">`),
		`<script type="module" src="${escapeHtml(head.script)}"></script>`,
	].join('\n\t');
}

/** Fills the template: the head and where the API is. */
function renderIndex(page: StaticPage, template: string, prefix: string, apiBase: string): string {
	if (!template.includes(HEAD_MARKER) || !template.includes(API_BASE_MARKER)) throw new Error(`${page.name}'s template lacks its head or data-api-base marker`);
	for (const name of [page.head.stylesheet, page.head.script]) {
		if (!Object.hasOwn(page.assets, name)) throw new Error(`${page.name}'s head names ${name}, which it does not serve`);
	}
	return template
		.replace(HEAD_MARKER, renderHead(page.head, prefix))
		.replace(API_BASE_MARKER, `data-api-base="${escapeHtml(apiBase.replace(/\/+$/, ''))}"`);
}

function contentTypeOf(name: string): string {
	const type = contentTypes[name.slice(name.lastIndexOf('.'))];
	if (type === undefined) throw new Error(`no content type for ${name}`);
	return type;
}

/**
 * A page as an encapsulated Fastify plugin (not wrapped by fastify-plugin, so the host's prefix applies):
 * `GET /` is index.html (`no-store`), the assets are revalidated by ETag; every answer has a strict CSP and nosniff.
 */
export function staticPagePlugin(page: StaticPage): FastifyPluginAsync<PagePluginOptions> {
	return async (fastify, options) => {
		const apiBase = options.apiBase ?? '/api';
		const headers = securityHeaders(apiOriginOf(page.name, apiBase));
		const html = renderIndex(page, await readFile(page.index, 'utf8'), fastify.prefix, apiBase);

		fastify.get('/', async (_request, reply) => {
			return reply.headers(headers).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
		});

		for (const [name, file] of Object.entries(page.assets)) {
			const contentType = contentTypeOf(name);
			const body = await readFile(file, 'utf8');
			const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
			fastify.get(`/${name}`, async (request, reply) => {
				// Small files that change only with the module: revalidate each time, answer 304 when unchanged.
				reply.headers(headers).header('cache-control', 'no-cache').header('etag', etag);
				if (request.headers['if-none-match'] === etag) return reply.code(304).send();
				return reply.type(contentType).send(body);
			});
		}
	};
}
