import assert from 'node:assert/strict';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { verifies } from '../support/signature.js';
import { newWhsecSecret } from '../signing/fixture.js';
import { discordViolations, slackViolations } from '../delivery/format/limits.js';
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
		const reply = await callHost(origin, 'i/webhooks/create', { name: 'x', url: receiver.url('/x'), on: ['note'], format: 'teams' }, alice.token);
		assert.equal(reply.status, 400);
		assert.equal(reply.body.error.code, 'INVALID_PARAM');
	});
});
