// The scenario against a real Misskey with the module integrated: every webhook event and every webhook endpoint,
// driven through Misskey's own API with the official client (misskey-js), each delivery received on 127.0.0.1 and
// verified as a receiver does, with the package's own `misskey-webhooks/receiver` (so `dist/` must be built).
// Not part of `npm test` (it needs a running server): the Misskey stage (.ci/misskey) runs it with
// `npx mocha test/misskey-server/scenario.ts`.
//
//   MISSKEY_URL             base URL of the running integrated server (its config's `url`); required
//   MISSKEY_SETUP_PASSWORD  the config's `setupPassword`: the scenario creates the first account, the root
//                           administrator, so the server must have no account yet (a fresh database)
//   MISSKEY_DATABASE_URL    the server's PostgreSQL database (postgres://user@host:port/db): no endpoint sets a
//                           moderator's last activity, which Misskey's moderator-activity check reads, and the
//                           webhook table is read after an account deletion
//
// The server must let deliveries reach the receiver: `allowedPrivateNetworks: ['127.0.0.1/32']` in its config.
// It runs with NODE_ENV=production, so Misskey's rate limits hold: each actor below stays under every endpoint's
// `limit` (notes/create 300 an hour, following/create 100, i/update 20; the module's test 60 per 15 min, recover 10
// an hour), and every actor is a fresh account.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as Misskey from 'misskey-js';
import pg from 'pg';
import { verifyWebhookRequest, type WebhookPayload, type WebhookRequestVerification } from 'misskey-webhooks/receiver';
import { createSchemaValidator } from '../../src/schemas.js';
import { eventually } from '../api/api-harness.js';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { launchChromium, watchPage } from '../browser/chromium.js';

function requiredEnv(name: string, what: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: ${what} (see the top of test/misskey-server/scenario.ts)`);
	return value;
}

const origin = new URL(requiredEnv('MISSKEY_URL', 'the base URL of a running Misskey with misskey-webhooks integrated')).origin;
const setupPassword = requiredEnv('MISSKEY_SETUP_PASSWORD', "the server config's setupPassword, to create the first account");
const databaseUrl = requiredEnv('MISSKEY_DATABASE_URL', "the server's PostgreSQL database");

const schemas = createSchemaValidator();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An id in Misskey's `misskey:id` format that names nothing. */
const unknownId = 'aaaaaaaaaaaaaaaa';
const hour = 60 * 60 * 1000;
const day = 24 * hour;

// ---- Misskey's API through misskey-js, every reply recorded -------------------------------------------------------

interface ApiReply {
	endpoint: string;
	status: number;
	text: string;
}

/** Every reply of the run, to find the raw error envelope of a refusal and to prove that nothing answered a 5xx. */
const replies: ApiReply[] = [];

const recordingFetch: Misskey.api.FetchLike = async (input, init) => {
	const response = await fetch(input, init);
	const text = await response.text();
	replies.push({ endpoint: input.slice(`${origin}/api/`.length), status: response.status, text });
	return { status: response.status, json: async () => JSON.parse(text) };
};

interface Account {
	id: string;
	username: string;
	password: string;
	client: Misskey.api.APIClient;
}

const anonymous = new Misskey.api.APIClient({ origin, credential: null, fetch: recordingFetch });

/** One call through misskey-js. The module's own endpoints are not in misskey-js's endpoint types, hence untyped. */
function call<T = any>(caller: Account | null, endpoint: string, params: Record<string, unknown> = {}): Promise<T> {
	const client = (caller?.client ?? anonymous) as unknown as { request(endpoint: string, params: Record<string, unknown>): Promise<T> };
	return client.request(endpoint, params);
}

/** Calls one endpoint that must refuse: misskey-js's APIError, and on the wire Misskey's `{ error }` envelope. */
async function refused(caller: Account | null, endpoint: string, params: Record<string, unknown>, expected: { code: string; id?: string; status: number }): Promise<any> {
	const before = replies.length;
	const error: unknown = await call(caller, endpoint, params).then(
		(answer) => assert.fail(`${endpoint} answered ${JSON.stringify(answer)} instead of ${expected.code}`),
		(reason: unknown) => reason,
	);
	assert.ok(Misskey.api.isAPIError(error as Record<PropertyKey, unknown>), `${endpoint}: not an API error: ${String(error)}`);
	const reply = replies.slice(before).find((r) => r.endpoint === endpoint);
	assert.ok(reply, `${endpoint}: no reply recorded`);
	assert.equal(reply.status, expected.status, `${endpoint}: ${reply.text}`);
	const envelope = JSON.parse(reply.text);
	assert.deepEqual(Object.keys(envelope), ['error'], reply.text);
	const { error: body } = envelope;
	assert.equal(body.code, expected.code, reply.text);
	if (expected.id !== undefined) assert.equal(body.id, expected.id, reply.text);
	assert.match(body.id, uuidPattern);
	assert.equal(typeof body.message, 'string');
	assert.ok(['client', 'permission', 'server'].includes(body.kind), reply.text);
	for (const key of Object.keys(body)) assert.ok(['message', 'code', 'id', 'kind', 'info'].includes(key), `${endpoint}: unexpected key ${key}`);
	return body;
}

function accountOf(created: { id: string; username: string; token: string }, password: string): Account {
	return { id: created.id, username: created.username, password, client: new Misskey.api.APIClient({ origin, credential: created.token, fetch: recordingFetch }) };
}

/** Usernames of this run: a rerun on the same server never meets its own accounts. */
const runTag = Date.now().toString(36).slice(-6);

async function createRoot(): Promise<Account> {
	const username = `root_${runTag}`;
	const password = randomBytes(12).toString('hex');
	try {
		return accountOf(await call(null, 'admin/accounts/create', { username, password, setupPassword }), password);
	} catch (error) {
		throw new Error(`the first account was refused (${JSON.stringify(error)}): the scenario needs a server with no account yet and its setupPassword in MISSKEY_SETUP_PASSWORD`);
	}
}

/** Further accounts: only the root administrator may create them, with no rate limit. */
async function createAccount(root: Account, name: string): Promise<Account> {
	const password = randomBytes(12).toString('hex');
	return accountOf(await call(root, 'admin/accounts/create', { username: `${name}_${runTag}`, password }), password);
}

// ---- the receiver: every delivery verified ------------------------------------------------------------------------

interface Hook {
	path: string;
	id: string;
	kind: 'user' | 'system';
	/** The owner of a user webhook. */
	ownerId: string | null;
	secret: string;
	/** The secret replaced last, still signing during the rotation's grace period. */
	previousSecret?: string;
}

interface Delivery {
	request: ReceivedRequest;
	payload: WebhookPayload & { userId?: string };
	body: any;
}

const receiver = new TestReceiver();
/** Webhooks by the receiver path each one delivers to. */
const hooks = new Map<string, Hook>();
/** Deliveries of each path the scenario has looked at so far; the rest are unexpected. */
const taken = new Map<string, number>();
/** Paths the receiver refuses with a 400 (final: no retry), to give the delivery API failed deliveries. */
const refusing = new Set<string>();
const startedAt = Date.now();

function verdictOf(request: ReceivedRequest): WebhookRequestVerification | null {
	const hook = hooks.get(request.path);
	if (!hook) return null;
	return verifyWebhookRequest({ headers: request.headers, rawBody: request.rawBody, secret: hook.secret, previousSecret: hook.previousSecret });
}

// As a real receiver: a request that does not verify is refused, which the module's attempt log then shows.
receiver.replyAlways((request) => {
	if (refusing.has(request.path)) return { status: 400, body: 'refused by the scenario' };
	return verdictOf(request)?.ok ? { status: 204 } : { status: 401 };
});

/** Checks one delivery as a receiver must be able to trust it: signature, clear secret, headers and envelope. */
function checked(request: ReceivedRequest): Delivery {
	const hook = hooks.get(request.path);
	assert.ok(hook, `a delivery to ${request.path}, which no webhook of the scenario names`);
	const verdict = verdictOf(request);
	assert.ok(verdict?.ok, `${request.path}: not verified: ${JSON.stringify(verdict)} ${request.rawBody.slice(0, 300)}`);
	assert.equal(verdict.via, 'signature', 'a webhook with a secret signs every delivery');
	// Receivers written for Misskey read only the clear header: it carries the secret in force.
	assert.equal(request.headers['x-misskey-hook-secret'], hook.secret);
	const unsigned = { ...request.headers };
	delete unsigned['webhook-signature'];
	const byHeader = verifyWebhookRequest({ headers: unsigned, rawBody: request.rawBody, secret: hook.secret });
	assert.ok(byHeader.ok && byHeader.via === 'secret-header', `the clear header alone verifies: ${JSON.stringify(byHeader)}`);
	// The signature binds the secret: any other secret is refused.
	assert.equal(verifyWebhookRequest({ headers: request.headers, rawBody: request.rawBody, secret: `other-${hook.secret}` }).ok, false);

	const payload = verdict.payload as Delivery['payload'];
	assert.equal(request.method, 'POST');
	assert.equal(request.headers['user-agent'], 'Misskey-Hooks');
	assert.equal(request.headers['content-type'], 'application/json');
	assert.equal(request.headers['x-misskey-host'], new URL(origin).host);
	assert.equal(request.headers['x-misskey-hook-id'], hook.id);
	assert.equal(request.headers['webhook-id'], payload.eventId);
	assert.equal(payload.server, origin);
	assert.equal(payload.hookId, hook.id);
	assert.match(payload.eventId, uuidPattern);
	assert.equal(typeof payload.createdAt, 'number');
	assert.ok(payload.createdAt >= startedAt - 5000 && payload.createdAt <= Date.now() + 5000, `createdAt ${payload.createdAt}`);
	if (hook.kind === 'user') assert.equal(payload.userId, hook.ownerId);
	else assert.ok(!('userId' in payload), 'a system envelope has no userId');
	return { request, payload, body: payload.body };
}

/** Waits for the next `count` deliveries to `path` (with the receiver's own poll) and checks each. */
async function take(path: string, count: number): Promise<Delivery[]> {
	const already = taken.get(path) ?? 0;
	const requests = await receiver.waitForRequests(already + count, 15_000, path);
	taken.set(path, already + count);
	return requests.slice(already, already + count).map(checked);
}

/** The one delivery of `type` among `deliveries`. */
function one(deliveries: readonly Delivery[], type: string): Delivery {
	const found = deliveries.filter((d) => d.payload.type === type);
	assert.equal(found.length, 1, `one ${type} among ${deliveries.map((d) => d.payload.type).join(', ')}`);
	return found[0];
}

function receivedAt(path: string): number {
	return receiver.requests.filter((r) => r.path === path).length;
}

/** Nothing arrived at `path` beyond what the scenario took. Called once a delivery of the same event arrived elsewhere. */
function nothingMore(path: string): void {
	assert.equal(receivedAt(path), taken.get(path) ?? 0, `unexpected deliveries to ${path}: ${receiver.requests.filter((r) => r.path === path).slice(taken.get(path) ?? 0).map((r) => r.rawBody.slice(0, 200)).join(' | ')}`);
}

function secretFor(kind: 'whsec' | 'plain'): string {
	// A `whsec_` secret is keyed by its base64 bytes, any other by its UTF-8 bytes: the scenario uses both.
	return kind === 'whsec' ? `whsec_${randomBytes(24).toString('base64')}` : `plain-${randomBytes(12).toString('hex')}`;
}

async function createUserHook(owner: Account, name: string, on: string[], secret = secretFor('plain')): Promise<Hook> {
	const path = `/user/${name}`;
	const created = await call(owner, 'i/webhooks/create', { name, url: receiver.url(path), on, secret });
	schemas.assert('UserWebhook', created);
	assert.equal(created.userId, owner.id);
	assert.deepEqual(created.on, on);
	assert.equal(created.secret, secret);
	assert.equal(created.active, true);
	const hook: Hook = { path, id: created.id, kind: 'user', ownerId: owner.id, secret };
	hooks.set(path, hook);
	return hook;
}

async function createSystemHook(moderator: Account, name: string, on: string[], secret = secretFor('plain')): Promise<Hook> {
	const path = `/system/${name}`;
	const created = await call(moderator, 'admin/system-webhook/create', { isActive: true, name, on, url: receiver.url(path), secret });
	schemas.assert('SystemWebhook', created);
	assert.deepEqual(created.on, on);
	assert.equal(created.secret, secret, 'moderators see a system webhook\'s secret, as in Misskey');
	const hook: Hook = { path, id: created.id, kind: 'system', ownerId: null, secret };
	hooks.set(path, hook);
	return hook;
}

// ---- the scenario -------------------------------------------------------------------------------------------------

describe('Misskey with misskey-webhooks: every event and endpoint through Misskey\'s API (misskey-js, real deliveries)', function () {
	this.timeout(30_000);

	let db: pg.Client;
	let root: Account;
	let moderator: Account;
	let alice: Account;
	let bob: Account;
	let carol: Account;
	let dave: Account;
	let erin: Account;
	let aliceHook: Hook;
	let bobHook: Hook;
	let carolHook: Hook;
	let daveHook: Hook;
	let mainHook: Hook;
	let silencedHook: Hook;
	let aliceNote: { id: string };
	let reportId: string;

	before(async function () {
		this.timeout(60_000);
		await receiver.start();
		db = new pg.Client({ connectionString: databaseUrl });
		await db.connect();
		root = await createRoot();
		[moderator, alice, bob, carol, dave] = await Promise.all(['mod', 'alice', 'bob', 'carol', 'dave'].map((name) => createAccount(root, name)));
		// A moderator by role, not an administrator: the system webhook endpoints and the report resolution need no more.
		const role = await call(root, 'admin/roles/create', {
			name: `moderators ${runTag}`, description: '', color: null, iconUrl: null, target: 'manual', condFormula: {},
			isPublic: false, isModerator: true, isAdministrator: false, asBadge: false, canEditMembersByModerator: false,
			displayOrder: 0, policies: {},
		});
		await call(root, 'admin/roles/assign', { roleId: role.id, userId: moderator.id });
		// A locked account: a follow becomes a request it may accept or reject.
		await call(dave, 'i/update', { isLocked: true });
	});

	after(async () => {
		await receiver.close();
		await db?.end();
	});

	describe('user webhooks: the endpoints', () => {
		it('i/webhooks/create answers the UserWebhook; list and show answer it back', async () => {
			aliceHook = await createUserHook(alice, 'alice', ['note', 'reply', 'renote', 'mention', 'reaction', 'followed'], secretFor('whsec'));
			bobHook = await createUserHook(bob, 'bob', ['note', 'follow', 'unfollow']);
			carolHook = await createUserHook(carol, 'carol', ['mention', 'follow', 'unfollow']);
			daveHook = await createUserHook(dave, 'dave', ['follow', 'followed', 'unfollow', 'note', 'reply', 'renote', 'mention', 'reaction']);

			const listed = await call<any[]>(alice, 'i/webhooks/list');
			for (const hook of listed) schemas.assert('UserWebhook', hook);
			assert.deepEqual(listed.map((h) => h.id), [aliceHook.id], 'only the caller\'s webhooks');
			const shown = await call(alice, 'i/webhooks/show', { webhookId: aliceHook.id });
			schemas.assert('UserWebhook', shown);
			assert.deepEqual(shown, listed[0]);
		});

		it('refuses bad input and other users\' webhooks in Misskey\'s error envelope', async () => {
			const info = (await refused(alice, 'i/webhooks/create', { name: 'x', url: 'ftp://127.0.0.1/hook', on: ['note'] }, { code: 'INVALID_WEBHOOK_URL', id: '4d1bea1d-0d8d-4a1b-b886-f6f3d8959c08', status: 400 })).info;
			assert.equal(info.reason, 'unsupported-scheme');
			// Outside the server's allowedPrivateNetworks: the address guard refuses it when it is saved.
			await refused(alice, 'i/webhooks/create', { name: 'x', url: 'http://10.1.2.3/hook', on: ['note'] }, { code: 'INVALID_WEBHOOK_URL', status: 400 });
			await refused(alice, 'i/webhooks/create', { name: 'x', url: receiver.url('/nowhere') }, { code: 'INVALID_PARAM', id: '3d81ceae-475f-4600-b2a8-2bc116157532', status: 400 });
			await refused(alice, 'i/webhooks/create', { name: 'x', url: receiver.url('/nowhere'), on: ['note'], secret: 'line\nbreak' }, { code: 'INVALID_PARAM', status: 400 });
			await refused(alice, 'i/webhooks/show', { webhookId: bobHook.id }, { code: 'NO_SUCH_WEBHOOK', id: '50f614d9-3047-4f7e-90d8-ad6b2d5fb098', status: 400 });
			await refused(alice, 'i/webhooks/update', { webhookId: bobHook.id, name: 'taken' }, { code: 'NO_SUCH_WEBHOOK', id: 'fb0fea69-da18-45b1-828d-bd4fd1612518', status: 400 });
			await refused(alice, 'i/webhooks/delete', { webhookId: unknownId }, { code: 'NO_SUCH_WEBHOOK', id: 'bae73e5a-5522-4965-ae19-3a8688e71d82', status: 400 });
			await refused(alice, 'i/webhooks/test', { webhookId: bobHook.id, type: 'note' }, { code: 'NO_SUCH_WEBHOOK', id: '0c52149c-e913-18f8-5dc7-74870bfe0cf9', status: 400 });
			await refused(null, 'i/webhooks/list', {}, { code: 'CREDENTIAL_REQUIRED', status: 401 });
			assert.equal((await call(bob, 'i/webhooks/show', { webhookId: bobHook.id })).name, 'bob', 'the refused update changed nothing');
		});

		it('i/webhooks/update rotates the secret: i/webhooks/test sends Misskey\'s dummy signed with the new secret and the old', async () => {
			const oldSecret = aliceHook.secret;
			const newSecret = secretFor('whsec');
			assert.equal(await call(alice, 'i/webhooks/update', { webhookId: aliceHook.id, secret: newSecret }), null, '204');
			aliceHook.secret = newSecret;
			aliceHook.previousSecret = oldSecret;
			const shown = await call(alice, 'i/webhooks/show', { webhookId: aliceHook.id });
			assert.equal(shown.secret, newSecret);
			assert.ok(Date.parse(shown.previousSecretExpiresAt) > Date.now(), 'the old secret keeps signing for a while');

			assert.equal(await call(alice, 'i/webhooks/test', { webhookId: aliceHook.id, type: 'note' }), null, '204');
			const [test] = await take(aliceHook.path, 1);
			assert.equal(test.payload.type, 'note');
			assert.equal(test.body.note.id, 'dummy-note-1');
			assert.equal(String(test.request.headers['webhook-signature']).split(' ').length, 2, 'two signatures during the rotation');
			// A receiver that has not switched yet still verifies with the old secret alone.
			assert.ok(verifyWebhookRequest({ headers: test.request.headers, rawBody: test.request.rawBody, secret: oldSecret }).ok);
			const afterTest = await eventually(() => call(alice, 'i/webhooks/show', { webhookId: aliceHook.id }), (hook) => hook.latestStatus !== null, 10_000);
			assert.equal(afterTest.latestStatus, 204);
		});
	});

	describe('the pages inside Misskey', () => {
		it('serves the user page and the admin page with their strict CSP', async () => {
			for (const path of ['/webhooks/', '/admin/webhooks/']) {
				const response = await fetch(`${origin}${path}`);
				assert.equal(response.status, 200, path);
				assert.match(response.headers.get('content-type') ?? '', /^text\/html/, path);
				assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
			}
		});

		it('the user page signs in through Misskey\'s own MiAuth, in Chromium, and lists the user\'s webhooks', async function () {
			this.timeout(60_000);
			const browser = await launchChromium();
			try {
				const page = await browser.newPage();
				const watch = watchPage(page);
				// The stage builds Misskey's backend only, so the approval screen its frontend would draw at /miauth/<session>
				// is an empty page here, and the approval is what that screen sends: miauth/gen-token with the user's own
				// token. Everything else is Misskey's: the session, the token it issues and api/miauth/<session>/check.
				await page.route((url) => url.pathname.startsWith('/miauth/'), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>MiAuth</title>' }));
				await page.goto(`${origin}/webhooks/`);
				await page.click('#miauth-start');
				await page.waitForURL(/\/miauth\//);
				const asked = new URL(page.url());
				const session = asked.pathname.split('/').at(-1)!;
				assert.equal(asked.searchParams.get('permission'), 'read:account,write:account');
				await call(alice, 'miauth/gen-token', { session, name: asked.searchParams.get('name'), permission: asked.searchParams.get('permission')!.split(',') });
				const back = new URL(asked.searchParams.get('callback')!);
				back.searchParams.set('session', session);
				await page.goto(back.href);

				await page.locator(`#webhooks li.webhook[data-id="${aliceHook.id}"]`).waitFor();
				assert.equal(await page.textContent('#signed-in-as'), `Signed in as @${alice.username}`);
				assert.equal(await page.locator('#webhooks li.webhook').count(), 1, "only alice's webhook");
				const token = await page.evaluate(() => sessionStorage.getItem('misskey-webhooks.user-token'));
				assert.ok(token, 'the page holds the token Misskey issued');
				assert.deepEqual(watch.dialogs, []);
				assert.deepEqual(watch.problems, []);
			} finally {
				await browser.close();
			}
		});
	});

	describe('user events, raised by Misskey\'s own services', () => {
		it('note: the author\'s webhook gets the note', async () => {
			aliceNote = (await call(alice, 'notes/create', { text: 'hello from the scenario' })).createdNote;
			const [note] = await take(aliceHook.path, 1);
			assert.equal(note.payload.type, 'note');
			assert.equal(note.body.note.id, aliceNote.id);
			assert.equal(note.body.note.userId, alice.id);
			assert.equal(note.body.note.text, 'hello from the scenario');
		});

		it('reply: the replied-to author gets reply and mention (Misskey counts them as mentioned); the replier gets note', async () => {
			const reply = (await call(bob, 'notes/create', { text: 'a reply', replyId: aliceNote.id })).createdNote;
			const toAlice = await take(aliceHook.path, 2);
			const replied = one(toAlice, 'reply');
			assert.equal(replied.body.note.id, reply.id);
			assert.equal(replied.body.note.replyId, aliceNote.id);
			assert.equal(replied.body.note.userId, bob.id);
			assert.equal(one(toAlice, 'mention').body.note.id, reply.id);
			const [note] = await take(bobHook.path, 1);
			assert.equal(note.payload.type, 'note');
			assert.equal(note.body.note.id, reply.id);
		});

		it('renote: the renoted author gets renote; the renoter gets note', async () => {
			const renote = (await call(bob, 'notes/create', { renoteId: aliceNote.id })).createdNote;
			const [renoted] = await take(aliceHook.path, 1);
			assert.equal(renoted.payload.type, 'renote');
			assert.equal(renoted.body.note.id, renote.id);
			assert.equal(renoted.body.note.renoteId, aliceNote.id);
			assert.equal(renoted.body.note.userId, bob.id);
			const [note] = await take(bobHook.path, 1);
			assert.equal(note.body.note.id, renote.id);
		});

		it('mention: a text mention reaches the mentioned user', async () => {
			const mentioning = (await call(bob, 'notes/create', { text: `@${alice.username} look` })).createdNote;
			const [mention] = await take(aliceHook.path, 1);
			assert.equal(mention.payload.type, 'mention');
			assert.equal(mention.body.note.id, mentioning.id);
			assert.deepEqual(mention.body.note.mentions, [alice.id]);
			assert.equal((await take(bobHook.path, 1))[0].body.note.id, mentioning.id);
		});

		it('mention: a specified note reaches its visible user, and nobody else', async () => {
			const direct = (await call(bob, 'notes/create', { text: 'for carol only', visibility: 'specified', visibleUserIds: [carol.id] })).createdNote;
			const [mention] = await take(carolHook.path, 1);
			assert.equal(mention.payload.type, 'mention');
			assert.equal(mention.body.note.id, direct.id);
			assert.equal(mention.body.note.visibility, 'specified');
			assert.deepEqual(mention.body.note.visibleUserIds, [carol.id]);
			assert.equal((await take(bobHook.path, 1))[0].body.note.id, direct.id);
			nothingMore(aliceHook.path);
		});

		it('reaction: the note\'s author gets the reaction with the reacting user', async () => {
			await call(carol, 'notes/reactions/create', { noteId: aliceNote.id, reaction: '👍' });
			const [reaction] = await take(aliceHook.path, 1);
			assert.equal(reaction.payload.type, 'reaction');
			assert.equal(reaction.body.note.id, aliceNote.id);
			assert.equal(reaction.body.reaction, '👍');
			assert.equal(reaction.body.user.id, carol.id);
		});

		it('follow and followed: the follower gets the followee, the followee the follower', async () => {
			await call(bob, 'following/create', { userId: alice.id });
			const [follow] = await take(bobHook.path, 1);
			assert.equal(follow.payload.type, 'follow');
			assert.equal(follow.body.user.id, alice.id);
			const [followed] = await take(aliceHook.path, 1);
			assert.equal(followed.payload.type, 'followed');
			assert.equal(followed.body.user.id, bob.id);
		});

		it('unfollow: the follower who unfollows gets the followee', async () => {
			await call(bob, 'following/delete', { userId: alice.id });
			const [unfollow] = await take(bobHook.path, 1);
			assert.equal(unfollow.payload.type, 'unfollow');
			assert.equal(unfollow.body.user.id, alice.id);
		});

		it('unfollow: a locked account rejecting a follow request sends the requester unfollow, and nothing before', async () => {
			await call(bob, 'following/create', { userId: dave.id });
			const requests = await call<any[]>(dave, 'following/requests/list');
			assert.deepEqual(requests.map((r) => r.follower.id), [bob.id], 'a request, not a follow');
			await call(dave, 'following/requests/reject', { userId: bob.id });
			const [unfollow] = await take(bobHook.path, 1);
			assert.equal(unfollow.payload.type, 'unfollow');
			assert.equal(unfollow.body.user.id, dave.id);
			// The request itself was no follow: neither side got an event for it.
			nothingMore(bobHook.path);
			nothingMore(daveHook.path);
		});

		it('follow and followed when the locked account accepts; unfollow when it then removes the follower', async () => {
			await call(carol, 'following/create', { userId: dave.id });
			await call(dave, 'following/requests/accept', { userId: carol.id });
			const [follow] = await take(carolHook.path, 1);
			assert.equal(follow.payload.type, 'follow');
			assert.equal(follow.body.user.id, dave.id);
			const [followed] = await take(daveHook.path, 1);
			assert.equal(followed.payload.type, 'followed');
			assert.equal(followed.body.user.id, carol.id);

			await call(dave, 'following/invalidate', { userId: carol.id });
			const [unfollow] = await take(carolHook.path, 1);
			assert.equal(unfollow.payload.type, 'unfollow');
			assert.equal(unfollow.body.user.id, dave.id);
			nothingMore(daveHook.path);
		});
	});

	describe('our own user events, raised by Misskey\'s own services', () => {
		let fran: Account;
		let gus: Account;
		let franHook: Hook;
		let gusHook: Hook;

		before(async () => {
			[fran, gus] = await Promise.all(['fran', 'gus'].map((name) => createAccount(root, name)));
			await call(fran, 'i/update', { isLocked: true });
			// `edited` is Sharkey's name, unknown here: kept and answered as given, and it matches nothing.
			franHook = await createUserHook(fran, 'fran', ['followRequestReceived', 'followed', 'noteDeleted', 'noteEdited', 'edited']);
			gusHook = await createUserHook(gus, 'gus', ['followRequestAccepted', 'follow', 'noteDeleted']);
			assert.deepEqual((await call(fran, 'i/webhooks/show', { webhookId: franHook.id })).on, ['followRequestReceived', 'followed', 'noteDeleted', 'noteEdited', 'edited']);
		});

		it('followRequestReceived: a follow request to a locked account reaches the followee, with the requester', async () => {
			await call(gus, 'following/create', { userId: fran.id });
			const [received] = await take(franHook.path, 1);
			assert.equal(received.payload.type, 'followRequestReceived');
			schemas.assert('FollowRequestReceivedWebhookBody', received.body);
			assert.equal(received.body.user.id, gus.id);
			nothingMore(gusHook.path);
		});

		it('followRequestAccepted: accepting reaches the requester with the followee, beside follow and followed', async () => {
			await call(fran, 'following/requests/accept', { userId: gus.id });
			const deliveries = await take(gusHook.path, 2);
			const accepted = one(deliveries, 'followRequestAccepted');
			schemas.assert('FollowRequestAcceptedWebhookBody', accepted.body);
			assert.equal(accepted.body.user.id, fran.id);
			assert.equal(accepted.body.user.isFollowing, true);
			assert.equal(one(deliveries, 'follow').body.user.id, fran.id);
			const [followed] = await take(franHook.path, 1);
			assert.equal(followed.payload.type, 'followed');
			assert.equal(followed.body.user.id, gus.id);
		});

		it('noteDeleted: deleting a note reaches its author, whether the author or a moderator deletes it', async () => {
			const own = (await call(gus, 'notes/create', { text: 'soon gone' })).createdNote;
			await call(gus, 'notes/delete', { noteId: own.id });
			const [deleted] = await take(gusHook.path, 1);
			assert.equal(deleted.payload.type, 'noteDeleted');
			schemas.assert('NoteDeletedWebhookBody', deleted.body);
			assert.equal(deleted.body.note.id, own.id);
			assert.equal(deleted.body.note.userId, gus.id);
			assert.equal(deleted.body.note.user.id, gus.id);

			const franNote = (await call(fran, 'notes/create', { text: 'a moderator removes this' })).createdNote;
			await call(moderator, 'notes/delete', { noteId: franNote.id });
			const [removed] = await take(franHook.path, 1);
			assert.equal(removed.payload.type, 'noteDeleted');
			assert.equal(removed.body.note.id, franNote.id);
			assert.equal(removed.body.note.user.id, fran.id);
			// Misskey 2025.9 edits no notes: nothing else came, `noteEdited` and `edited` included.
			nothingMore(franHook.path);
			nothingMore(gusHook.path);
		});
	});

	describe('moderators pausing a user webhook (admin/webhooks/*)', () => {
		it('a paused webhook gets nothing and its owner cannot resume it; resumed, it delivers again', async () => {
			await call(moderator, 'admin/webhooks/update', { webhookId: daveHook.id, active: false, reason: `scenario ${runTag}` });
			const [listed] = await call<any[]>(moderator, 'admin/webhooks/list', { userId: dave.id });
			schemas.assert('ModeratorUserWebhook', listed);
			assert.deepEqual([listed.id, listed.active, listed.pausedBy, listed.hasSecret], [daveHook.id, false, 'moderator', true]);
			await refused(dave, 'i/webhooks/update', { webhookId: daveHook.id, active: true }, { code: 'WEBHOOK_PAUSED_BY_MODERATOR', id: '01e5baba-81aa-4ffc-9ef9-799b4a59c271', status: 400 });
			await refused(dave, 'i/webhooks/test', { webhookId: daveHook.id, type: 'note' }, { code: 'WEBHOOK_PAUSED_BY_MODERATOR', status: 400 });
			await refused(alice, 'admin/webhooks/update', { webhookId: daveHook.id, active: true }, { code: 'ROLE_PERMISSION_DENIED', status: 403 });

			const paused = (await call(bob, 'notes/create', { text: `@${alice.username} @${dave.username} paused` })).createdNote;
			// One event for both: once alice's mention is here, dave's would be too.
			assert.equal((await take(aliceHook.path, 1))[0].body.note.id, paused.id);
			await take(bobHook.path, 1);
			nothingMore(daveHook.path);

			await call(moderator, 'admin/webhooks/update', { webhookId: daveHook.id, active: true });
			const resumed = (await call(bob, 'notes/create', { text: `@${dave.username} resumed` })).createdNote;
			const [mention] = await take(daveHook.path, 1);
			assert.equal(mention.payload.type, 'mention');
			assert.equal(mention.body.note.id, resumed.id);
			await take(bobHook.path, 1);
		});
	});

	describe('user webhooks: the delivery API', () => {
		it('i/webhooks/deliveries/list and show answer the note\'s delivery with its attempt', async () => {
			const listed = await call<any[]>(alice, 'i/webhooks/deliveries/list', { webhookId: aliceHook.id, limit: 100 });
			for (const delivery of listed) schemas.assert('WebhookDelivery', delivery);
			const noteDelivery = listed.find((d) => d.eventId === aliceNoteEventId());
			assert.ok(noteDelivery, JSON.stringify(listed));
			assert.equal(noteDelivery.webhookId, aliceHook.id);
			assert.equal(noteDelivery.status, 'delivered');
			assert.equal(noteDelivery.attemptCount, 1);
			assert.equal(noteDelivery.lastStatus, 204);
			assert.deepEqual(listed.map((d) => d.id), [...listed.map((d) => d.id)].sort().reverse(), 'newest first');

			const shown = await call(alice, 'i/webhooks/deliveries/show', { deliveryId: noteDelivery.id });
			schemas.assert('WebhookDeliveryDetail', shown);
			assert.equal(shown.body.note.id, aliceNote.id);
			assert.equal(shown.attempts.length, 1);
			assert.equal(shown.attempts[0].trigger, 'scheduled');
			assert.equal(shown.attempts[0].status, 204);
		});

		it('i/webhooks/deliveries/redeliver sends the same event again, logged as a manual attempt', async () => {
			const [noteDelivery] = await deliveriesOf(alice, 'i/webhooks/deliveries/list', aliceHook.id, (d) => d.eventId === aliceNoteEventId());
			assert.equal(await call(alice, 'i/webhooks/deliveries/redeliver', { deliveryId: noteDelivery.id }), null, '204');
			const [again] = await take(aliceHook.path, 1);
			assert.equal(again.payload.eventId, aliceNoteEventId(), 'the same eventId, so a receiver drops the duplicate');
			assert.equal(again.body.note.id, aliceNote.id);
			const shown = await eventually(() => call(alice, 'i/webhooks/deliveries/show', { deliveryId: noteDelivery.id }), (d) => d.attempts.length === 2, 10_000);
			assert.deepEqual(shown.attempts.map((a: any) => [a.number, a.trigger, a.status]), [[1, 'scheduled', 204], [2, 'manual', 204]]);
		});

		it('i/webhooks/deliveries/recover re-sends a failed delivery', async () => {
			refusing.add(aliceHook.path);
			await call(alice, 'i/webhooks/test', { webhookId: aliceHook.id, type: 'followed' });
			const [refusedTest] = await take(aliceHook.path, 1);
			const eventId = refusedTest.payload.eventId;
			const [failed] = await eventually(() => deliveriesOf(alice, 'i/webhooks/deliveries/list', aliceHook.id, (d) => d.eventId === eventId), (found) => found[0]?.status === 'failed', 10_000);
			assert.equal(failed.lastStatus, 400);
			refusing.delete(aliceHook.path);

			const recovered = await call(alice, 'i/webhooks/deliveries/recover', { webhookId: aliceHook.id, since: Date.now() - 10 * 60 * 1000 });
			assert.deepEqual(recovered, { count: 1 });
			const [again] = await take(aliceHook.path, 1);
			assert.equal(again.payload.eventId, eventId);
			const shown = await eventually(() => call(alice, 'i/webhooks/deliveries/show', { deliveryId: failed.id }), (d) => d.status === 'delivered', 10_000);
			assert.deepEqual(shown.attempts.map((a: any) => [a.trigger, a.status]), [['scheduled', 400], ['manual', 204]]);
		});

		it('refuses unknown and other users\' deliveries in Misskey\'s error envelope', async () => {
			await refused(alice, 'i/webhooks/deliveries/list', { webhookId: bobHook.id }, { code: 'NO_SUCH_WEBHOOK', id: 'ca15288e-4912-4028-8b6b-cc6b5945b6d7', status: 400 });
			const [bobDelivery] = await deliveriesOf(bob, 'i/webhooks/deliveries/list', bobHook.id, () => true);
			await refused(alice, 'i/webhooks/deliveries/show', { deliveryId: bobDelivery.id }, { code: 'NO_SUCH_DELIVERY', id: '3ff7b0e1-e72e-4a25-82dc-75cb26a4bc81', status: 400 });
			await refused(alice, 'i/webhooks/deliveries/redeliver', { deliveryId: unknownId }, { code: 'NO_SUCH_DELIVERY', id: '9d2a2afc-a01e-49fe-ae16-f29116413b49', status: 400 });
			await refused(alice, 'i/webhooks/deliveries/recover', { webhookId: bobHook.id, since: Date.now() }, { code: 'NO_SUCH_WEBHOOK', id: 'a37d9675-256c-4fab-b57c-7d7a07697968', status: 400 });
			const tooOld = await refused(alice, 'i/webhooks/deliveries/recover', { webhookId: aliceHook.id, since: Date.now() - 15 * day }, { code: 'RECOVER_SINCE_TOO_OLD', id: '649dcd14-bc18-49cc-8203-3996f77a2158', status: 400 });
			assert.equal(typeof tooOld.info.oldestSince, 'string');
			await refused(alice, 'i/webhooks/deliveries/recover', { webhookId: aliceHook.id, since: 'yesterday' }, { code: 'INVALID_PARAM', status: 400 });
			await refused(alice, 'i/webhooks/deliveries/list', { webhookId: aliceHook.id, status: 'lost' }, { code: 'INVALID_PARAM', status: 400 });
		});
	});

	describe('system webhooks: the endpoints', () => {
		it('admin/system-webhook/create, list, show, update, delete and test, by a moderator', async () => {
			const types = ['abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged'];
			mainHook = await createSystemHook(moderator, 'main', types);
			silencedHook = await createSystemHook(moderator, 'silenced', ['abuseReport', 'abuseReportResolved', 'userCreated']);
			const spare = await createSystemHook(moderator, 'spare', ['userCreated']);

			const listed = await call<any[]>(moderator, 'admin/system-webhook/list', { on: ['abuseReport'] });
			for (const hook of listed) schemas.assert('SystemWebhook', hook);
			const ours = listed.map((h) => h.id).filter((id) => [mainHook.id, silencedHook.id, spare.id].includes(id));
			assert.deepEqual(ours, [mainHook.id, silencedHook.id].sort(), 'sorted by id, only those on abuseReport');
			const shown = await call(moderator, 'admin/system-webhook/show', { id: mainHook.id });
			schemas.assert('SystemWebhook', shown);
			assert.deepEqual(shown, listed.find((h) => h.id === mainHook.id));

			// A full replacement, as in Misskey; absent `secret` keeps the stored one.
			const updated = await call(moderator, 'admin/system-webhook/update', { id: spare.id, isActive: false, name: 'spare, off', on: ['abuseReport'], url: receiver.url(spare.path) });
			schemas.assert('SystemWebhook', updated);
			assert.deepEqual([updated.name, updated.isActive, updated.on, updated.secret], ['spare, off', false, ['abuseReport'], spare.secret]);
			assert.equal(await call(moderator, 'admin/system-webhook/delete', { id: spare.id }), null, '204');
			await refused(moderator, 'admin/system-webhook/show', { id: spare.id }, { code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '38dd1ffe-04b4-6ff5-d8ba-4e6a6ae22c9d', status: 404 });
			hooks.delete(spare.path);

			assert.equal(await call(moderator, 'admin/system-webhook/test', { webhookId: mainHook.id, type: 'abuseReport' }), null, '204');
			const [test] = await take(mainHook.path, 1);
			assert.equal(test.payload.type, 'abuseReport');
			assert.equal(test.body.id, 'dummy-abuse-report1');
		});

		it('refuses users who are no moderators, and bad input, in Misskey\'s error envelope', async () => {
			await refused(alice, 'admin/system-webhook/list', {}, { code: 'ROLE_PERMISSION_DENIED', id: 'd33d5333-db36-423d-a8f9-1a2b9549da41', status: 403 });
			await refused(alice, 'admin/system-webhook/deliveries/list', { webhookId: mainHook.id }, { code: 'ROLE_PERMISSION_DENIED', status: 403 });
			await refused(moderator, 'admin/system-webhook/create', { isActive: true, name: 'x', on: ['userCreated'], url: 'ftp://127.0.0.1/hook' }, { code: 'INVALID_WEBHOOK_URL', status: 400 });
			await refused(moderator, 'admin/system-webhook/create', { isActive: true, name: 'x', on: ['note'], url: receiver.url('/nowhere') }, { code: 'INVALID_PARAM', status: 400 });
			await refused(moderator, 'admin/system-webhook/update', { id: unknownId, isActive: true, name: 'x', on: [], url: receiver.url('/nowhere') }, { code: 'NO_SUCH_SYSTEM_WEBHOOK', status: 404 });
			await refused(moderator, 'admin/system-webhook/delete', { id: unknownId }, { code: 'NO_SUCH_SYSTEM_WEBHOOK', status: 404 });
			await refused(moderator, 'admin/system-webhook/test', { webhookId: unknownId, type: 'userCreated' }, { code: 'NO_SUCH_WEBHOOK', id: '0c52149c-e913-18f8-5dc7-74870bfe0cf9', status: 400 });
		});
	});

	describe('system events, raised by Misskey\'s own services', () => {
		it('userCreated reaches every system webhook on it, whatever the abuse-report recipients', async () => {
			// An administrator switched this recipient off: Misskey leaves its webhook out of the two abuse events only.
			const recipient = await call(moderator, 'admin/abuse-report/notification-recipient/create', { isActive: false, name: `silenced ${runTag}`, method: 'webhook', systemWebhookId: silencedHook.id });
			assert.equal(recipient.isActive, false);

			erin = await createAccount(root, 'erin');
			for (const hook of [mainHook, silencedHook]) {
				const [created] = await take(hook.path, 1);
				assert.equal(created.payload.type, 'userCreated');
				assert.equal(created.body.id, erin.id);
				assert.equal(created.body.username, erin.username);
			}
		});

		it('abuseReport reaches the system webhooks, but not the one an inactive recipient names', async () => {
			await call(carol, 'users/report-abuse', { userId: bob.id, comment: `spam ${runTag}` });
			const [report] = await take(mainHook.path, 1);
			assert.equal(report.payload.type, 'abuseReport');
			assert.equal(report.body.targetUserId, bob.id);
			assert.equal(report.body.targetUser.id, bob.id);
			assert.equal(report.body.reporterId, carol.id);
			assert.equal(report.body.reporter.id, carol.id);
			assert.equal(report.body.comment, `spam ${runTag}`);
			assert.equal(report.body.resolved, false);
			reportId = report.body.id;
			const listed = await call<any[]>(moderator, 'admin/abuse-user-reports', { state: 'unresolved' });
			assert.ok(listed.some((r) => r.id === reportId), 'the id Misskey lists');
			// The module plans an event's deliveries together: had the silenced webhook been chosen, its row would be logged.
			assert.deepEqual((await deliveriesOf(moderator, 'admin/system-webhook/deliveries/list', silencedHook.id, () => true)).map((d) => d.type), ['userCreated']);
			nothingMore(silencedHook.path);
		});

		it('abuseReportResolved carries the resolving moderator, and skips the silenced webhook too', async () => {
			await call(moderator, 'admin/resolve-abuse-user-report', { reportId, resolvedAs: 'accept' });
			const [resolved] = await take(mainHook.path, 1);
			assert.equal(resolved.payload.type, 'abuseReportResolved');
			assert.equal(resolved.body.id, reportId);
			assert.equal(resolved.body.resolved, true);
			assert.equal(resolved.body.resolvedAs, 'accept');
			assert.equal(resolved.body.assigneeId, moderator.id);
			assert.equal(resolved.body.assignee.id, moderator.id);
			assert.deepEqual((await deliveriesOf(moderator, 'admin/system-webhook/deliveries/list', silencedHook.id, () => true)).map((d) => d.type), ['userCreated']);
			nothingMore(silencedHook.path);
		});

		// Misskey's CheckModeratorsActivityProcessorService runs as the system queue's job `checkModeratorsActivity`,
		// scheduled at minute 30 of every hour. The scenario runs that scheduled job now with Misskey's own
		// admin/queue/retry-job, which promotes a delayed job, after setting the moderators' last activity: Misskey
		// updates it only on a streaming connection, always to now, so the database is written directly.
		async function runModeratorActivityCheck(lastActive: Map<string, Date>): Promise<void> {
			for (const [userId, date] of lastActive) await db.query('UPDATE "user" SET "lastActiveDate" = $2 WHERE id = $1', [userId, date]);
			// The scheduler queues the next run once the last one started.
			const delayed = await eventually(() => call<any[]>(root, 'admin/queue/jobs', { queue: 'system', state: ['delayed'] }), (jobs) => jobs.some((j) => j.name === 'checkModeratorsActivity'), 10_000);
			const job = delayed.find((j) => j.name === 'checkModeratorsActivity');
			await call(root, 'admin/queue/retry-job', { queue: 'system', jobId: job.id });
			await eventually(() => call<any[]>(root, 'admin/queue/jobs', { queue: 'system', state: ['completed'] }), (done) => done.some((j) => j.id === job.id), 15_000);
		}

		/** Where Misskey's check starts counting a moderator inactive: 7 calendar days back, in local time as it counts. */
		function inactiveSince(): number {
			const date = new Date();
			date.setDate(date.getDate() - 7);
			return date.getTime();
		}

		it('inactiveModeratorsWarning: the moderator-activity check warns when the last active moderator has hours left', async () => {
			// The check does nothing while registration is closed, as it is on a new server.
			await call(root, 'admin/update-meta', { disableRegistration: false });
			// The most recently active moderator has 6 h 30 min left: a warning, sent at whole multiples of 6 h.
			await runModeratorActivityCheck(new Map([[root.id, new Date(inactiveSince() + 6.5 * hour)], [moderator.id, new Date(inactiveSince() - day)]]));
			const [warning] = await take(mainHook.path, 1);
			assert.equal(warning.payload.type, 'inactiveModeratorsWarning');
			const { remainingTime } = warning.body;
			assert.deepEqual(Object.keys(remainingTime), ['time', 'asHours', 'asDays']);
			assert.equal(remainingTime.asDays, 0);
			assert.equal(remainingTime.asHours, 6);
			assert.ok(remainingTime.time > 6 * hour && remainingTime.time <= 6.5 * hour, String(remainingTime.time));
			assert.equal((await call(root, 'admin/meta')).disableRegistration, false);
		});

		it('inactiveModeratorsInvitationOnlyChanged: with every moderator inactive for 7 days the server turns invitation-only', async () => {
			await runModeratorActivityCheck(new Map([[root.id, new Date(inactiveSince() - hour)], [moderator.id, new Date(inactiveSince() - day)]]));
			const [changed] = await take(mainHook.path, 1);
			assert.equal(changed.payload.type, 'inactiveModeratorsInvitationOnlyChanged');
			assert.deepEqual(changed.body, {});
			assert.equal((await call(root, 'admin/meta')).disableRegistration, true);
			nothingMore(silencedHook.path);
		});
	});

	describe('system webhooks: the delivery API', () => {
		it('admin/system-webhook/deliveries/list, show and redeliver', async () => {
			// The test send earlier was an abuseReport too (Misskey's dummy): this is the real report's delivery.
			const candidates = await deliveriesOf(moderator, 'admin/system-webhook/deliveries/list', mainHook.id, (d) => d.type === 'abuseReport');
			const shown = (await Promise.all(candidates.map((d) => call(moderator, 'admin/system-webhook/deliveries/show', { deliveryId: d.id })))).filter((d) => d.body.id === reportId);
			assert.equal(shown.length, 1, JSON.stringify(candidates));
			const [report] = shown;
			schemas.assert('WebhookDeliveryDetail', report);
			assert.equal(report.webhookId, mainHook.id);
			assert.equal(report.status, 'delivered');
			assert.equal(report.body.targetUserId, bob.id);
			assert.deepEqual(report.attempts.map((a: any) => [a.number, a.trigger, a.status]), [[1, 'scheduled', 204]]);

			assert.equal(await call(moderator, 'admin/system-webhook/deliveries/redeliver', { deliveryId: report.id }), null, '204');
			const [again] = await take(mainHook.path, 1);
			assert.equal(again.payload.type, 'abuseReport');
			assert.equal(again.payload.eventId, report.eventId);
			assert.equal(again.body.id, reportId);
			const after = await eventually(() => call(moderator, 'admin/system-webhook/deliveries/show', { deliveryId: report.id }), (d) => d.attempts.length === 2, 10_000);
			assert.deepEqual(after.attempts.map((a: any) => [a.number, a.trigger, a.status]), [[1, 'scheduled', 204], [2, 'manual', 204]]);
		});

		it('admin/system-webhook/deliveries/recover re-sends a failed delivery', async () => {
			refusing.add(mainHook.path);
			await call(moderator, 'admin/system-webhook/test', { webhookId: mainHook.id, type: 'userCreated' });
			const [refusedTest] = await take(mainHook.path, 1);
			const eventId = refusedTest.payload.eventId;
			const [failed] = await eventually(() => deliveriesOf(moderator, 'admin/system-webhook/deliveries/list', mainHook.id, (d) => d.eventId === eventId), (found) => found[0]?.status === 'failed', 10_000);
			refusing.delete(mainHook.path);

			assert.deepEqual(await call(moderator, 'admin/system-webhook/deliveries/recover', { webhookId: mainHook.id, since: new Date(Date.now() - 10 * 60 * 1000).toISOString() }), { count: 1 });
			const [again] = await take(mainHook.path, 1);
			assert.equal(again.payload.eventId, eventId);
			await eventually(() => call(moderator, 'admin/system-webhook/deliveries/show', { deliveryId: failed.id }), (d) => d.status === 'delivered', 10_000);
		});

		it('refuses unknown deliveries and webhooks in Misskey\'s error envelope', async () => {
			await refused(moderator, 'admin/system-webhook/deliveries/list', { webhookId: unknownId }, { code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '01c55c35-cefa-4dad-bd26-c3b42b704164', status: 404 });
			const [userDelivery] = await deliveriesOf(alice, 'i/webhooks/deliveries/list', aliceHook.id, () => true);
			await refused(moderator, 'admin/system-webhook/deliveries/show', { deliveryId: userDelivery.id }, { code: 'NO_SUCH_DELIVERY', id: '79264b55-1069-47c8-ae4b-b8f11e150042', status: 400 });
			await refused(moderator, 'admin/system-webhook/deliveries/redeliver', { deliveryId: unknownId }, { code: 'NO_SUCH_DELIVERY', id: 'e48522f7-9ed0-412c-a859-0452f93e73b7', status: 400 });
			await refused(moderator, 'admin/system-webhook/deliveries/recover', { webhookId: unknownId, since: Date.now() }, { code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '0db1f585-faa6-44e7-9e22-acee3608a95e', status: 404 });
			await refused(moderator, 'admin/system-webhook/deliveries/recover', { webhookId: mainHook.id, since: Date.now() - 15 * day }, { code: 'RECOVER_SINCE_TOO_OLD', id: 'ee0a27d8-4041-4e6a-bb56-2a8e9309b4e7', status: 400 });
		});
	});

	describe('the webhook limit and account deletion', () => {
		let erinHooks: Hook[];

		it('i/webhooks/create refuses past Misskey\'s role policy webhookLimit (3); i/webhooks/delete frees a place', async () => {
			erinHooks = [];
			for (const n of [1, 2, 3]) erinHooks.push(await createUserHook(erin, `erin-${n}`, ['mention']));
			await refused(erin, 'i/webhooks/create', { name: 'erin-4', url: receiver.url('/user/erin-4'), on: ['mention'] }, { code: 'TOO_MANY_WEBHOOKS', id: '87a9bb19-111e-4e37-81d3-a3e7426453b0', status: 400 });
			const dropped = erinHooks.pop()!;
			assert.equal(await call(erin, 'i/webhooks/delete', { webhookId: dropped.id }), null, '204');
			hooks.delete(dropped.path);
			await refused(erin, 'i/webhooks/show', { webhookId: dropped.id }, { code: 'NO_SUCH_WEBHOOK', status: 400 });
			erinHooks.push(await createUserHook(erin, 'erin-3b', ['mention']));
			assert.deepEqual((await call<any[]>(erin, 'i/webhooks/list')).map((h) => h.id).sort(), erinHooks.map((h) => h.id).sort());
		});

		it('deleting the account drops its webhooks: gone from the table and the API, and nothing more is delivered', async () => {
			await call(bob, 'notes/create', { text: `@${erin.username} before` });
			for (const hook of erinHooks) assert.equal((await take(hook.path, 1))[0].payload.type, 'mention');
			await take(bobHook.path, 1);
			const moderated = await call<any[]>(moderator, 'admin/webhooks/list', { userId: erin.id });
			for (const hook of moderated) schemas.assert('ModeratorUserWebhook', hook);
			assert.equal(moderated.length, 3);

			assert.equal(await call(erin, 'i/delete-account', { password: erin.password }), null, '204');
			// Misskey deletes the account in a queued job; the webhook rows go with the user's row.
			await eventually(async () => (await db.query('SELECT 1 FROM "user" WHERE id = $1', [erin.id])).rowCount, (rows) => rows === 0, 20_000);
			assert.equal((await db.query('SELECT 1 FROM webhook WHERE "userId" = $1', [erin.id])).rowCount, 0);
			assert.deepEqual(await call(moderator, 'admin/webhooks/list', { userId: erin.id }), []);

			const later = (await call(bob, 'notes/create', { text: `@${erin.username} after` })).createdNote;
			// The same event's delivery to bob is planned with any to erin: once it is here, erin's would be too.
			assert.equal((await take(bobHook.path, 1))[0].body.note.id, later.id);
			await refused(bob, 'following/create', { userId: erin.id }, { code: 'NO_SUCH_USER', status: 400 });
			for (const hook of erinHooks) nothingMore(hook.path);
		});
	});

	describe('the whole run', () => {
		it('every delivery was one the scenario expected, and no call was answered with a 5xx', async () => {
			// Once no delivery is pending in the module's outbox, every attempt has reached the receiver.
			await eventually(async () => Number((await db.query('SELECT count(*) FROM webhook_delivery WHERE status = \'pending\'')).rows[0].count), (pending) => pending === 0, 15_000);
			for (const path of new Set(receiver.requests.map((r) => r.path))) nothingMore(path);
			assert.ok(replies.length > 100, `${replies.length} calls`);
			assert.deepEqual(replies.filter((r) => r.status >= 500), []);
		});
	});

	// The eventId of alice's first note, as alice's receiver got it.
	function aliceNoteEventId(): string {
		const request = receiver.requests.find((r) => r.path === aliceHook.path && r.json?.type === 'note' && r.json.body.note.id === aliceNote.id);
		assert.ok(request, 'alice\'s note was delivered');
		return request.json.eventId;
	}
});

/** The deliveries of one webhook that `keep` keeps, as the delivery API lists them (every entry schema-checked). */
async function deliveriesOf(caller: Account, endpoint: string, webhookId: string, keep: (delivery: any) => boolean): Promise<any[]> {
	const listed = await call<any[]>(caller, endpoint, { webhookId, limit: 100 });
	for (const delivery of listed) schemas.assert('WebhookDelivery', delivery);
	return listed.filter(keep);
}
