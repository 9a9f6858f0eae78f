import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { userPagePlugin } from '../../src/user-page/user-page-plugin.js';

const pageFolder = new URL('../../src/user-page/', import.meta.url);
const sharedFolder = new URL('../../src/browser-shared/', import.meta.url);

describe('the users\' page plugin (served by the module, strict headers)', () => {
	let app: FastifyInstance;

	before(async () => {
		app = Fastify({ logger: false });
		await app.register(userPagePlugin, { prefix: '/webhooks' });
		await app.ready();
	});

	after(async () => {
		await app.close();
	});

	it('serves index.html at the prefix, uncached, with a CSP that allows no inline script, and the API base filled in', async () => {
		const reply = await app.inject({ method: 'GET', url: '/webhooks' });
		assert.equal(reply.statusCode, 200);
		assert.equal(reply.headers['cache-control'], 'no-store');
		const csp = String(reply.headers['content-security-policy']);
		assert.match(csp, /script-src 'self'(;|$)/);
		assert.match(csp, /frame-ancestors 'none'/);
		assert.equal(reply.headers['x-content-type-options'], 'nosniff');
		assert.equal(reply.headers['x-frame-options'], 'DENY');
		assert.match(reply.body, /<base href="\/webhooks\/">/);
		assert.match(reply.body, /data-api-base="\/api"/);
	});

	it('serves every file the page loads or imports, its own and the shared ones, and nothing else', async () => {
		const index = await app.inject({ method: 'GET', url: '/webhooks' });
		const referenced = new Set([...index.body.matchAll(/(?:src|href)="([\w.-]+\.(?:js|css))"/g)].map((match) => match[1]!));
		for (const folder of [pageFolder, sharedFolder]) {
			for (const script of (await readdir(folder)).filter((name) => name.endsWith('.js'))) {
				const text = await readFile(new URL(script, folder), 'utf8');
				for (const match of text.matchAll(/from '\.\/([\w.-]+\.js)'/g)) referenced.add(match[1]!);
			}
		}
		assert.ok(referenced.has('dom.js') && referenced.has('api-client.js') && referenced.has('dialogs.js') && referenced.has('strings.js'));
		for (const name of referenced) {
			const reply = await app.inject({ method: 'GET', url: `/webhooks/${name}` });
			assert.equal(reply.statusCode, 200, name);
			assert.ok(reply.headers['content-security-policy'], name);
		}
		for (const notServed of ['user-page-plugin.ts', 'page-plugin.ts', 'index.html', 'admin.js', 'nope.js']) {
			assert.equal((await app.inject({ method: 'GET', url: `/webhooks/${notServed}` })).statusCode, 404, notServed);
		}
	});

	it('the page and its scripts hold no inline script, handler or style attribute, and never write markup', async () => {
		const html = await readFile(new URL('index.html', pageFolder), 'utf8');
		assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
		assert.doesNotMatch(html, /\son\w+=/i);
		assert.doesNotMatch(html, /\sstyle=/i);
		for (const folder of [pageFolder, sharedFolder]) {
			for (const name of (await readdir(folder)).filter((file) => file.endsWith('.js'))) {
				const text = await readFile(new URL(name, folder), 'utf8');
				assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, name);
			}
		}
	});

	it('every string has its Japanese', async () => {
		const keysOf = async (file: string, name: string) => {
			const text = await readFile(new URL(file, sharedFolder), 'utf8');
			const [, block] = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\n\\};`).exec(text)!;
			return [...block!.matchAll(/^\t(\w+):/gm)].map((match) => match[1]);
		};
		const english = await keysOf('strings-en.js', 'en');
		assert.ok(english.length > 100);
		assert.deepEqual(await keysOf('strings-ja.js', 'ja'), english);
	});
});
