// Adoption of a stock Misskey database, in two runs of the Misskey stage (.ci/misskey):
//   fill    stock Misskey (before the integration) on the database: accounts, user and system webhooks with their
//           secrets, abuse-report notification recipients active and inactive; what it made goes to ADOPTION_STATE
//   verify  the integrated Misskey on the same database, migrated: the old webhooks deliver with their old secrets,
//           an inactive recipient's webhook stays silent, an inactive webhook too, and the module's API lists them
//   MISSKEY_CONFIG_YML, MISSKEY_PORT: the server's config and port; ADOPTION_RECEIVER_PORT (default 15081)
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { verifyWebhookRequest } from 'misskey-webhooks/receiver';
import { TestReceiver, type ReceivedRequest } from '../support/receiver.js';
import { api, createAccount, createRootAccount, startMisskey, type Account } from './misskey-process.js';

interface AdoptionState {
	root: Account;
	alice: Account;
	bob: Account;
	userWebhook: { id: string; secret: string };
	pausedUserWebhook: { id: string };
	activeRecipientWebhook: { id: string; secret: string };
	inactiveRecipientWebhook: { id: string };
}

const config = process.env.MISSKEY_CONFIG_YML ?? 'default.yml';
const port = Number(process.env.MISSKEY_PORT ?? 61813);
const receiverPort = Number(process.env.ADOPTION_RECEIVER_PORT ?? 15081);
const statePath = process.env.ADOPTION_STATE ?? 'adoption.json';

async function fill(receiver: TestReceiver): Promise<AdoptionState> {
	const server = await startMisskey({ config, port });
	try {
		const url = server.url;
		const root = await createRootAccount(url, 'root');
		const alice = await createAccount(url, root, 'alice');
		const bob = await createAccount(url, root, 'bob');
		const userWebhook = await api(url, 'i/webhooks/create', { name: 'notes', url: receiver.url('/alice'), secret: 'alice-secret-from-stock', on: ['note'] }, alice.token);
		const paused = await api(url, 'i/webhooks/create', { name: 'paused', url: receiver.url('/alice-paused'), secret: 'paused-secret', on: ['note'] }, alice.token);
		await api(url, 'i/webhooks/update', { webhookId: paused.id, active: false }, alice.token);
		const reports = await api(url, 'admin/system-webhook/create', { isActive: true, name: 'reports', url: receiver.url('/reports'), secret: 'reports-secret-from-stock', on: ['abuseReport'] }, root.token);
		const silenced = await api(url, 'admin/system-webhook/create', { isActive: true, name: 'silenced', url: receiver.url('/silenced'), secret: 'silenced-secret', on: ['abuseReport'] }, root.token);
		await api(url, 'admin/abuse-report/notification-recipient/create', { isActive: true, name: 'on', method: 'webhook', systemWebhookId: reports.id }, root.token);
		await api(url, 'admin/abuse-report/notification-recipient/create', { isActive: false, name: 'off', method: 'webhook', systemWebhookId: silenced.id }, root.token);
		return {
			root, alice, bob,
			userWebhook: { id: userWebhook.id, secret: 'alice-secret-from-stock' },
			pausedUserWebhook: { id: paused.id },
			activeRecipientWebhook: { id: reports.id, secret: 'reports-secret-from-stock' },
			inactiveRecipientWebhook: { id: silenced.id },
		};
	} finally {
		await server.stop();
	}
}

function assertVerified(request: ReceivedRequest, secret: string, type: string, hookId: string): void {
	const result = verifyWebhookRequest({ headers: request.headers, rawBody: request.rawBody, secret });
	assert.ok(result.ok, `delivery to ${request.path} not verified: ${JSON.stringify(result)}`);
	assert.equal(result.payload.type, type);
	assert.equal(request.json.hookId, hookId);
}

async function verify(receiver: TestReceiver, state: AdoptionState): Promise<void> {
	const server = await startMisskey({ config, port });
	try {
		const url = server.url;
		// The module's API answers the rows stock Misskey wrote, secrets included, as Misskey answered them.
		const listed = await api<Array<{ id: string; secret: string; active: boolean }>>(url, 'i/webhooks/list', {}, state.alice.token);
		assert.deepEqual(listed.map((hook) => [hook.id, hook.secret, hook.active]).sort(), [
			[state.pausedUserWebhook.id, 'paused-secret', false],
			[state.userWebhook.id, state.userWebhook.secret, true],
		].sort());

		await api(url, 'notes/create', { text: 'after the switch' }, state.alice.token);
		const [note] = await receiver.waitForRequests(1, 30_000, '/alice');
		assertVerified(note, state.userWebhook.secret, 'note', state.userWebhook.id);
		assert.equal(note.json.body.note.text, 'after the switch');

		await api(url, 'users/report-abuse', { userId: state.alice.id, comment: 'adoption check' }, state.bob.token);
		const [report] = await receiver.waitForRequests(1, 30_000, '/reports');
		assertVerified(report, state.activeRecipientWebhook.secret, 'abuseReport', state.activeRecipientWebhook.id);
		// Whatever was coming has come by now: the report's other webhook and the paused one stay silent.
		await receiver.settle(3000);
		assert.deepEqual(receiver.requests.map((request) => request.path).sort(), ['/alice', '/reports']);
	} finally {
		await server.stop();
	}
}

const phase = process.argv[2];
const receiver = await new TestReceiver().start(receiverPort);
try {
	if (phase === 'fill') {
		writeFileSync(statePath, JSON.stringify(await fill(receiver), null, '\t'));
		console.log(`adoption: stock Misskey filled the database (${statePath})`);
	} else if (phase === 'verify') {
		await verify(receiver, JSON.parse(readFileSync(statePath, 'utf8')) as AdoptionState);
		console.log('adoption: the old webhooks deliver with their secrets; the silenced and paused ones stay silent');
	} else {
		throw new Error('usage: adoption.ts fill|verify');
	}
} finally {
	await receiver.close();
}
