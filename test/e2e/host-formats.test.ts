import assert from 'node:assert/strict';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { discordViolations, googleChatViolations, gotifyViolations, ntfyViolations, slackViolations, teamsViolations, telegramViolations } from '../delivery/format/limits.js';
import { systemWebhookEventTypes, userWebhookEventTypes } from '../../src/events/catalogue.js';
import type { ReceivedRequest } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from './host-client.js';
import { startReferenceHost, type HostProcess } from './host-process.js';

describe('Discord and Slack formats on the reference host end to end (child process, real HTTP)', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let admin: Account;
	let alice: Account;
	let bob: Account;
	const secret = newWhsecSecret();
	const hooks: Record<string, string> = {};

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		admin = await signUp(origin, 'admin');
		alice = await signUp(origin, 'alice');
		bob = await signUp(origin, 'bob');
		for (const format of ['discord', 'slack', 'misskey']) {
			hooks[format] = (await expectOk(origin, 'i/webhooks/create', { name: `to ${format}`, url: receiver.url(`/user/${format}`), secret, on: ['note'], format }, alice.token)).id;
			hooks[`system-${format}`] = (await expectOk(origin, 'admin/system-webhook/create', {
				isActive: true, name: `reports to ${format}`, url: receiver.url(`/system/${format}`), secret, on: ['abuseReport'], format,
			}, admin.token)).id;
		}
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	it('list shows each webhook with the format it was created with', async () => {
		const listed: any[] = await expectOk(origin, 'i/webhooks/list', {}, alice.token);
		assert.deepEqual(Object.fromEntries(listed.map((hook) => [hook.id, hook.format])), { [hooks.discord!]: 'discord', [hooks.slack!]: 'slack', [hooks.misskey!]: 'misskey' });
		const system: any[] = await expectOk(origin, 'admin/system-webhook/list', {}, admin.token);
		assert.deepEqual(system.map((hook) => hook.format).sort(), ['discord', 'misskey', 'slack']);
	});

	it('a note is rendered for Discord and Slack, signed over the bytes sent; the misskey webhook still gets the envelope', async () => {
		const text = '@everyone the **release** is out! :blobcat: https://example.com/release';
		const { createdNote } = await expectOk(origin, 'notes/create', { text }, alice.token);
		const [discord] = await receiver.waitForRequests(1, 10_000, '/user/discord');
		const [slack] = await receiver.waitForRequests(1, 10_000, '/user/slack');
		const [misskey] = await receiver.waitForRequests(1, 10_000, '/user/misskey');
		const noteUrl = `${origin}/notes/${createdNote.id}`;

		for (const [request, id] of [[discord!, hooks.discord], [slack!, hooks.slack], [misskey!, hooks.misskey]] as const) {
			assert.equal(request.headers['x-misskey-hook-id'], id);
			assert.equal(request.headers['x-misskey-hook-secret'], secret);
			assert.equal(request.headers['content-type'], 'application/json');
			assert.equal(verifies(secret, request), true, `${id}: the signature verifies over the bytes received`);
		}

		assert.deepEqual(discordViolations(discord!.json), []);
		const embed = discord!.json.embeds[0];
		assert.equal(embed.title, 'alice posted a note');
		assert.equal(embed.url, noteUrl);
		assert.equal(embed.author.url, `${origin}/@alice`);
		assert.equal(embed.description, '@everyone the \\*\\*release\\*\\* is out! :blobcat: https://example.com/release');
		assert.deepEqual(discord!.json.allowed_mentions, { parse: [] });

		assert.deepEqual(slackViolations(slack!.json), []);
		assert.equal(slack!.json.text, 'alice posted a note');
		assert.ok(slack!.json.blocks.some((block: any) => block.type === 'section' && block.text?.text === text));
		assert.ok(JSON.stringify(slack!.json).includes(`<${noteUrl}|Open>`));

		assert.equal(misskey!.json.type, 'note');
		assert.equal(misskey!.json.body.note.text, text);
		assert.equal(misskey!.json.hookId, hooks.misskey);
	});

	it('an abuse report reaches the system webhooks as Discord and Slack messages with the comment', async () => {
		const reply = await callHost(origin, 'users/report-abuse', { userId: bob.id, comment: 'spam <b>everywhere</b>' }, alice.token);
		assert.equal(reply.status, 204);
		const [discord] = await receiver.waitForRequests(1, 10_000, '/system/discord');
		const [slack] = await receiver.waitForRequests(1, 10_000, '/system/slack');
		assert.equal(discord!.headers['x-misskey-hook-id'], hooks['system-discord']);
		assert.equal(verifies(secret, discord!), true);
		assert.equal(verifies(secret, slack!), true);
		assert.equal(discord!.json.embeds[0].title, 'New abuse report: bob');
		assert.equal(discord!.json.embeds[0].description, 'spam \\<b\\>everywhere\\</b\\>');
		assert.ok(JSON.stringify(slack!.json).includes('spam &lt;b&gt;everywhere&lt;/b&gt;'));
	});

	it('update switches a webhook to another format for the next event', async () => {
		assert.equal((await callHost(origin, 'i/webhooks/update', { webhookId: hooks.discord, format: 'slack' }, alice.token)).status, 204);
		receiver.clear();
		await expectOk(origin, 'notes/create', { text: 'after the switch' }, alice.token);
		const [request] = await receiver.waitForRequests(1, 10_000, '/user/discord');
		assert.equal(request!.json.text, 'alice posted a note');
		assert.ok(Array.isArray(request!.json.blocks));
		assert.equal(request!.json.embeds, undefined);
	});

	it('an unknown format is refused with INVALID_PARAM', async () => {
		const reply = await callHost(origin, 'i/webhooks/create', { name: 'x', url: receiver.url('/x'), on: ['note'], format: 'mattermost' }, alice.token);
		assert.equal(reply.status, 400);
		assert.equal(reply.body.error.code, 'INVALID_PARAM');
	});
});

/**
 * Each destination: the webhook URL the service hands out (its path, under the local receiver), where the request must
 * arrive, and the service's own reading of the body: what it requires, its types and its sizes.
 */
const services = {
	teams: { path: '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sig=S1g', arrivesAt: (path: string) => path, check: teamsViolations },
	googlechat: { path: '/v1/spaces/AAAA/messages?key=KeY&token=ToKeN', arrivesAt: (path: string) => path, check: googleChatViolations },
	telegram: { path: '/bot123456:AAF-token/sendMessage?chat_id=-1001234567890', arrivesAt: (path: string) => path, check: telegramViolations },
	// ntfy takes JSON at its root: the topic leaves the path for the body.
	ntfy: { path: '/misskey-alerts', arrivesAt: (path: string) => path.replace(/misskey-alerts$/, ''), check: ntfyViolations },
	gotify: { path: '/message?token=AppToken42', arrivesAt: (path: string) => path, check: gotifyViolations },
} as const;

describe('Teams, Google Chat, Telegram, ntfy and Gotify on the reference host: every event, read as each service reads it', function () {
	this.timeout(120_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let origin: string;
	let admin: Account;
	let fan: Account;
	const owners: Record<string, Account> = {};
	const hookIds: Record<string, string> = {};

	before(async () => {
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;
		admin = await signUp(origin, 'admin');
		fan = await signUp(origin, 'fan');
		for (const [format, service] of Object.entries(services)) {
			owners[format] = await signUp(origin, `owner_${format}`);
			hookIds[format] = (await expectOk(origin, 'i/webhooks/create', { name: `to ${format}`, url: receiver.url(`/user/${format}${service.path}`), on: [...userWebhookEventTypes], format }, owners[format]!.token)).id;
			hookIds[`system-${format}`] = (await expectOk(origin, 'admin/system-webhook/create', {
				isActive: true, name: `moderators on ${format}`, url: receiver.url(`/system/${format}${service.path}`), on: [...systemWebhookEventTypes], format,
			}, admin.token)).id;
		}
	});

	after(async () => {
		await host?.stop();
		await receiver?.close();
	});

	afterEach(function () {
		if (this.currentTest?.state === 'failed' && host) console.error(`host output:\n${host.output()}`);
	});

	/** Each request as the service would take it: JSON, at the right address, with a body it accepts. */
	function assertAccepted(format: keyof typeof services, request: ReceivedRequest): void {
		assert.equal(request.method, 'POST');
		assert.equal(request.headers['content-type'], 'application/json');
		assert.deepEqual(services[format].check(request.json), [], `${format}: ${request.rawBody.slice(0, 300)}`);
	}

	it('lists and shows each webhook with its format', async () => {
		for (const format of Object.keys(services)) {
			const [listed] = await expectOk(origin, 'i/webhooks/list', {}, owners[format]!.token);
			assert.equal(listed.format, format);
		}
	});

	it('a real note behind a CW with a mention, and a reaction to it: accepted by each service, the CW kept as each one keeps it', async () => {
		for (const [format, service] of Object.entries(services) as Array<[keyof typeof services, (typeof services)[keyof typeof services]]>) {
			const owner = owners[format]!;
			const { createdNote } = await expectOk(origin, 'notes/create', { cw: 'Film spoilers', text: `@${fan.username} the butler did it <b>really</b>` }, owner.token);
			assert.equal((await callHost(origin, 'notes/reactions/create', { noteId: createdNote.id, reaction: '👍' }, fan.token)).status, 204);
			const path = service.arrivesAt(`/user/${format}${service.path}`);
			const [note, reaction] = await receiver.waitForRequests(2, 20_000, path);
			for (const request of [note!, reaction!]) {
				assertAccepted(format, request);
				assert.equal(request.headers['x-misskey-hook-id'], hookIds[format]);
			}
			const raw = note!.rawBody;
			assert.ok(raw.includes('Film spoilers'), `${format}: the CW is shown`);
			assert.ok(raw.includes(`${origin}/notes/${createdNote.id}`), `${format}: links to the note`);
			if (format === 'ntfy' || format === 'gotify') assert.equal(raw.includes('the butler did it'), false, `${format} cannot hide text: it is left out`);
			else assert.ok(raw.includes('the butler did it'), `${format} hides the text behind a reveal`);
			if (format === 'telegram') assert.ok(note!.json.text.includes('<tg-spoiler>@\u2060fan the butler did it &lt;b&gt;really&lt;/b&gt;</tg-spoiler>'));
			if (format === 'ntfy') assert.equal(note!.json.topic, 'misskey-alerts');
			if (format === 'telegram') assert.equal(note!.json.chat_id, '-1001234567890');
			assert.ok(reaction!.rawBody.includes('👍'), `${format}: the reaction`);
		}
	});

	it('every user and system event type, sent by the test endpoints, is accepted by each service', async () => {
		receiver.clear();
		const userTypes = userWebhookEventTypes.filter((type) => type !== 'reaction');
		for (const format of Object.keys(services)) {
			for (const type of userTypes) assert.equal((await callHost(origin, 'i/webhooks/test', { webhookId: hookIds[format], type }, owners[format]!.token)).status, 204);
			for (const type of systemWebhookEventTypes) assert.equal((await callHost(origin, 'admin/system-webhook/test', { webhookId: hookIds[`system-${format}`], type }, admin.token)).status, 204);
		}
		for (const [format, service] of Object.entries(services) as Array<[keyof typeof services, (typeof services)[keyof typeof services]]>) {
			const user = await receiver.waitForRequests(userTypes.length, 30_000, service.arrivesAt(`/user/${format}${service.path}`));
			const system = await receiver.waitForRequests(systemWebhookEventTypes.length, 30_000, service.arrivesAt(`/system/${format}${service.path}`));
			for (const request of [...user, ...system]) assertAccepted(format, request);
		}
	});
});
