import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { HostServices } from './services/index.js';

// MiAuth, Misskey's app authorisation: an app opens `/miauth/<session>?name=&callback=&permission=`, the user signs
// in and approves, the browser returns to `callback?session=<session>`, and the app fetches the token once with
// `POST /api/miauth/<session>/check` → `{ ok: true, token, user }` (`{ ok: false }` before approval or after the fetch).
// Misskey's page is part of its client; this host's is one plain HTML form with no script.

/** Session ids as apps generate them (Misskey takes any string; a UUID is what its documentation shows). */
const SESSION = /^[\w-]{1,128}$/;
/** A permission name as Misskey spells them (`read:account`, `write:admin:system-webhook`, ...). */
const PERMISSION = /^[a-z]+(?::[a-z-]+)+$/;

const pageHeaders = {
	'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'cache-control': 'no-store',
};

function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface MiAuthRequest {
	name: string | null;
	callback: URL | null;
	permissions: string[];
}

/** The query of a MiAuth request; a callback that is no http(s) URL is refused (it would run as a script). */
function readRequest(query: Record<string, unknown>): MiAuthRequest | string {
	const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : null);
	const callbackText = text('callback');
	let callback: URL | null = null;
	if (callbackText !== null && callbackText !== '') {
		callback = URL.canParse(callbackText) ? new URL(callbackText) : null;
		if (callback === null || (callback.protocol !== 'http:' && callback.protocol !== 'https:')) return 'The callback is not an http(s) URL.';
	}
	const permissions = (text('permission') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
	if (permissions.some((name) => !PERMISSION.test(name))) return 'A permission is not a permission name.';
	return { name: text('name')?.slice(0, 128) ?? null, callback, permissions };
}

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
	return reply.code(status).headers(pageHeaders).type('text/html; charset=utf-8').send(html);
}

function approvalForm(reply: FastifyReply, request: MiAuthRequest, status = 200, error: string | null = null): FastifyReply {
	const permissions = request.permissions.length === 0 ? '<li>none</li>' : request.permissions.map((name) => `<li><code>${escapeHtml(name)}</code></li>`).join('');
	return page(reply, status, 'Authorise an app', `
		<p><strong>${escapeHtml(request.name ?? 'An app')}</strong> asks for access to your account with these permissions:</p>
		<ul>${permissions}</ul>
		${error === null ? '' : `<p role="alert">${escapeHtml(error)}</p>`}
		<form method="post">
			<p><label>Username <input name="username" autocomplete="username" required></label></p>
			<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
			<p><button type="submit">Sign in and allow</button></p>
		</form>`);
}

/** MiAuth for the reference host: the approval page at `/miauth/:session` and `/api/miauth/:session/check`. */
export function createMiAuthPlugin(services: HostServices): FastifyPluginAsync {
	return async (fastify) => {
		fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
			done(null, Object.fromEntries(new URLSearchParams(String(body))));
		});

		fastify.get<{ Params: { session: string }; Querystring: Record<string, unknown> }>('/miauth/:session', async (request, reply) => {
			if (!SESSION.test(request.params.session)) return page(reply, 400, 'Not a MiAuth session', '<p>The session id is missing or malformed.</p>');
			const miauth = readRequest(request.query);
			if (typeof miauth === 'string') return page(reply, 400, 'Bad MiAuth request', `<p>${escapeHtml(miauth)}</p>`);
			return approvalForm(reply, miauth);
		});

		fastify.post<{ Params: { session: string }; Querystring: Record<string, unknown>; Body: Record<string, unknown> }>('/miauth/:session', async (request, reply) => {
			const session = request.params.session;
			if (!SESSION.test(session)) return page(reply, 400, 'Not a MiAuth session', '<p>The session id is missing or malformed.</p>');
			const miauth = readRequest(request.query);
			if (typeof miauth === 'string') return page(reply, 400, 'Bad MiAuth request', `<p>${escapeHtml(miauth)}</p>`);
			const body = request.body ?? {};
			const username = typeof body.username === 'string' ? body.username : '';
			const password = typeof body.password === 'string' ? body.password : '';
			const signedIn = username === '' || password === '' ? null : await services.users.signin(username, password);
			if (signedIn === null || !signedIn.ok) return approvalForm(reply, miauth, 400, 'Wrong username or password.');
			const issued = await services.accessTokens.issueForSession(session, signedIn.value.id, miauth.name, miauth.permissions);
			if (!issued) return page(reply, 409, 'Session already used', '<p>This MiAuth session was approved before; start again from the app.</p>');
			if (miauth.callback === null) return page(reply, 200, 'Allowed', '<p>You can go back to the app now.</p>');
			miauth.callback.searchParams.set('session', session);
			return reply.headers(pageHeaders).redirect(miauth.callback.href, 303);
		});

		fastify.post<{ Params: { session: string } }>('/api/miauth/:session/check', async (request, reply) => {
			const fetched = SESSION.test(request.params.session) ? await services.accessTokens.fetchForSession(request.params.session) : null;
			const user = fetched ? await services.users.findById(fetched.userId) : null;
			if (!fetched || !user) return reply.send({ ok: false });
			return reply.send({ ok: true, token: fetched.token, user: await services.packer.userDetailed(user, null) });
		});
	};
}
