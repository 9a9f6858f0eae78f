import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminPagePlugin, type AdminPagePluginOptions } from '../../src/admin/admin-page-plugin.js';
import { pageFiles, staticPagePlugin } from '../../src/browser-shared/page-plugin.js';

const adminFolder = new URL('../../src/admin/', import.meta.url);

async function appWith(options: AdminPagePluginOptions = {}, prefix = '/admin/webhooks'): Promise<FastifyInstance> {
	const app = Fastify({ logger: false });
	await app.register(adminPagePlugin, { prefix, ...options });
	await app.ready();
	return app;
}

function directives(csp: string): Map<string, string[]> {
	return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('the admin page plugin (served by the module, strict headers)', () => {
	let app: FastifyInstance;

	before(async () => {
		app = await appWith();
	});

	after(async () => {
		await app.close();
	});

	it('serves index.html at the prefix, uncached, with a CSP that allows no inline script, nosniff and X-Frame-Options: DENY', async () => {
		const reply = await app.inject({ method: 'GET', url: '/admin/webhooks' });
		assert.equal(reply.statusCode, 200);
		assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
		assert.equal(reply.headers['cache-control'], 'no-store');
		assert.equal(reply.headers['x-content-type-options'], 'nosniff');
		assert.equal(reply.headers['x-frame-options'], 'DENY');
		const csp = directives(String(reply.headers['content-security-policy']));
		assert.deepEqual(csp.get('default-src'), ["'self'"]);
		assert.deepEqual(csp.get('script-src'), ["'self'"]);
		assert.deepEqual(csp.get('style-src'), ["'self'"]);
		assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
		assert.deepEqual(csp.get('connect-src'), ["'self'"]);
		assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
		assert.match(reply.body, /<h1>Webhooks administration<\/h1>/);
	});

	it('writes the head: the title, the shared stylesheet before the page\'s own, the shared ones after, then the entry script', async () => {
		const reply = await app.inject({ method: 'GET', url: '/admin/webhooks' });
		const head = /<head>([\s\S]*)<\/head>/.exec(reply.body)![1]!;
		assert.match(head, /<title>Webhooks administration<\/title>/);
		assert.deepEqual([...head.matchAll(/(?:href|src)="([\w.-]+)"/g)].map((match) => match[1]), ['base.css', 'admin.css', 'webhook-status.css', 'deliveries.css', 'admin.js']);
	});

	it('refuses a head that names a file the page does not serve', async () => {
		const app = Fastify({ logger: false });
		const broken = staticPagePlugin({ name: 'brokenPage', head: { title: 'x', stylesheet: 'nope.css', script: 'admin.js' }, ...pageFiles(new URL('admin-page-plugin.ts', adminFolder).href, ['admin.js']) });
		await assert.rejects(async () => { await app.register(broken).ready(); }, /brokenPage's head names nope\.css, which it does not serve/);
		await app.close();
	});

	it('answers the prefix with and without a trailing slash, resolving assets under the prefix either way', async () => {
		for (const url of ['/admin/webhooks', '/admin/webhooks/']) {
			const reply = await app.inject({ method: 'GET', url });
			assert.equal(reply.statusCode, 200, url);
			assert.match(reply.body, /<base href="\/admin\/webhooks\/">/, url);
		}
	});

	it('tells the page where the API is: /api by default', async () => {
		const reply = await app.inject({ method: 'GET', url: '/admin/webhooks' });
		assert.match(reply.body, /<html lang="en" data-language="en" data-api-base="\/api">/);
	});

	it('takes the API base from its option, escaped into the attribute, and allows an API origin elsewhere in connect-src', async () => {
		const other = await appWith({ apiBase: 'https://api.example.tld/api/' }, '/moderation');
		try {
			const reply = await other.inject({ method: 'GET', url: '/moderation' });
			assert.match(reply.body, /data-api-base="https:\/\/api\.example\.tld\/api"/);
			assert.match(reply.body, /<base href="\/moderation\/">/);
			assert.deepEqual(directives(String(reply.headers['content-security-policy'])).get('connect-src'), ["'self'", 'https://api.example.tld']);
		} finally {
			await other.close();
		}
		const quoted = await appWith({ apiBase: '/x"><script>alert(1)</script>' });
		try {
			const reply = await quoted.inject({ method: 'GET', url: '/admin/webhooks' });
			assert.match(reply.body, /data-api-base="\/x&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
			assert.doesNotMatch(reply.body, /<script>alert/);
		} finally {
			await quoted.close();
		}
	});

	it('refuses an API base that is neither a path nor an http(s) URL', async () => {
		for (const apiBase of ['javascript:alert(1)', 'api', '//elsewhere.tld/api']) {
			await assert.rejects(appWith({ apiBase }), /apiBase must be a path or an http\(s\) URL/, apiBase);
		}
	});

	it('serves each asset with its content type, nosniff, X-Frame-Options: DENY, the CSP and an ETag, and answers 304 when unchanged', async () => {
		const expected: Record<string, string> = { 'admin.js': 'text/javascript; charset=utf-8', 'admin.css': 'text/css; charset=utf-8' };
		for (const [name, contentType] of Object.entries(expected)) {
			const reply = await app.inject({ method: 'GET', url: `/admin/webhooks/${name}` });
			assert.equal(reply.statusCode, 200, name);
			assert.equal(reply.headers['content-type'], contentType, name);
			assert.equal(reply.headers['x-content-type-options'], 'nosniff', name);
			assert.equal(reply.headers['x-frame-options'], 'DENY', name);
			assert.ok(reply.headers['content-security-policy'], name);
			const etag = String(reply.headers.etag);
			assert.match(etag, /^"[\w-]+"$/, name);
			const again = await app.inject({ method: 'GET', url: `/admin/webhooks/${name}`, headers: { 'if-none-match': etag } });
			assert.equal(again.statusCode, 304, name);
			assert.equal(again.body, '', name);
		}
	});

	it('serves every file the page loads or imports, and nothing else from its folder', async () => {
		const index = await app.inject({ method: 'GET', url: '/admin/webhooks' });
		const referenced = new Set([...index.body.matchAll(/(?:src|href)="([\w.-]+\.(?:js|css))"/g)].map((match) => match[1]!));
		const scripts = (await readdir(adminFolder)).filter((name) => name.endsWith('.js'));
		for (const script of scripts) {
			const text = await readFile(new URL(script, adminFolder), 'utf8');
			for (const match of text.matchAll(/from '\.\/([\w.-]+\.js)'/g)) referenced.add(match[1]!);
		}
		assert.ok(referenced.size >= 3);
		for (const name of referenced) {
			const reply = await app.inject({ method: 'GET', url: `/admin/webhooks/${name}` });
			assert.equal(reply.statusCode, 200, name);
		}
		for (const notServed of ['admin-page-plugin.ts', 'index.html', '../index.ts', 'nope.js']) {
			const reply = await app.inject({ method: 'GET', url: `/admin/webhooks/${notServed}` });
			assert.equal(reply.statusCode, 404, notServed);
		}
	});

	it('the page holds no inline script, handler attribute or style attribute (the CSP would block them)', async () => {
		const html = await readFile(new URL('index.html', adminFolder), 'utf8');
		assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
		assert.doesNotMatch(html, /\son\w+=/i);
		assert.doesNotMatch(html, /\sstyle=/i);
	});

	it('the page scripts never parse strings as markup (no innerHTML, outerHTML, insertAdjacentHTML, document.write)', async () => {
		for (const name of (await readdir(adminFolder)).filter((file) => file.endsWith('.js'))) {
			const text = await readFile(new URL(name, adminFolder), 'utf8');
			assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser/, name);
		}
	});
});
