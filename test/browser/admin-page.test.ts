import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { resetDatabase } from '../support/database.js';
import { testDatabaseUrl } from '../support/env.js';
import { TestReceiver } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from '../e2e/host-client.js';
import { repositoryRoot, startReferenceHost, type HostProcess } from '../e2e/host-process.js';
import { launchChromium, watchPage, type PageWatch } from './chromium.js';

const SCREENSHOT_PATH = `${repositoryRoot}test-artifacts/admin-page.png`;
const EDITOR_SCREENSHOT_PATH = `${repositoryRoot}test-artifacts/admin-page-editor.png`;
const LOG_SCREENSHOT_PATH = `${repositoryRoot}test-artifacts/admin-page-delivery-log.png`;

// A hostile name: rendered as markup it would create an <img> and fire an alert.
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const USER_SECRET = 'user-secret-never-shown-7f3a';
const EXISTING_SYSTEM_SECRET = 'system-secret-from-list-9c21';
const TYPED_SYSTEM_SECRET = 'typed-system-secret-4be8';
const PAUSE_REASON = 'Your receiver answers 500 to every delivery';
// A reason the module stores from a receiver's answer: rendered as markup it would create an <img> and fire an alert.
const HOSTILE_SYSTEM_PAUSE_REASON = 'receiver answered 410 Gone <img src=x onerror=alert(2)>';

describe('the admin page in headless Chromium against the reference host', function () {
	this.timeout(60_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let browser: Browser | undefined;
	let page: Page;
	let watch: PageWatch;
	let origin: string;
	let admin: Account;
	let owner: Account;
	let userHookId: string;
	let existingSystemHookId: string;
	let createdSystemHookId: string;

	const row = (tableId: string, id: string) => `#${tableId} tr[data-id="${id}"]`;

	async function systemWebhooks(): Promise<any[]> {
		return expectOk(origin, 'admin/system-webhook/list', {}, admin.token);
	}

	/** The test endpoint records its attempt on the real row once the worker has sent it. */
	async function waitForLatestSentAt(id: string): Promise<any> {
		for (let tries = 0; tries < 100; tries++) {
			const webhook = (await systemWebhooks()).find((other) => other.id === id);
			if (webhook?.latestSentAt && webhook.latestStatus === 200) return webhook;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`system webhook ${id} never recorded its test delivery`);
	}

	/** The newest delivery of a webhook once it has been delivered, as the given list endpoint reports it. */
	async function eventuallyDelivered(endpoint: string, token: string, webhookId: string): Promise<any> {
		for (let tries = 0; tries < 200; tries++) {
			const [newest] = await expectOk(origin, endpoint, { webhookId, limit: 1 }, token);
			if (newest?.status === 'delivered') return newest;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`no delivered delivery of ${webhookId}`);
	}

	async function signInOnPage(token: string): Promise<void> {
		await page.fill('#token', token);
		await page.click('#sign-in button[type="submit"]');
	}

	before(async () => {
		browser = await launchChromium();
		await resetDatabase();
		receiver = await new TestReceiver().start();
		host = await startReferenceHost([50]);
		origin = host.listenUrl;

		admin = await signUp(origin, 'admin');
		assert.equal(admin.isAdmin, true, 'the first account of the reference host is its administrator');
		owner = await signUp(origin, 'bob');
		userHookId = (await expectOk(origin, 'i/webhooks/create', { name: HOSTILE_NAME, url: receiver.url('/user'), secret: USER_SECRET, on: ['note'], format: 'slack' }, owner.token)).id;
		// Created before the page loads, so the page's list reply carries a secret it must not show.
		existingSystemHookId = (await expectOk(origin, 'admin/system-webhook/create', {
			isActive: true, name: 'existing', url: receiver.url('/existing'), secret: EXISTING_SYSTEM_SECRET, on: ['userCreated'],
		}, admin.token)).id;

		await mkdir(`${repositoryRoot}test-artifacts`, { recursive: true });
		page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
		watch = watchPage(page);
		await page.goto(`${origin}/admin/webhooks`);
	});

	after(async () => {
		await browser?.close();
		await host?.stop();
		await receiver?.close();
	});

	it('a non-moderator token is refused with ROLE_PERMISSION_DENIED, shown as code and message, and not kept', async () => {
		const direct = await callHost(origin, 'admin/webhooks/list', {}, owner.token);
		assert.equal(direct.status, 403);
		assert.equal(direct.body.error.code, 'ROLE_PERMISSION_DENIED');

		await signInOnPage(owner.token);
		await page.locator('#page-error').waitFor({ state: 'visible' });
		assert.equal(await page.textContent('#page-error'), 'ROLE_PERMISSION_DENIED: You are not assigned to a moderator role.');
		assert.equal(await page.isVisible('#user-webhooks'), false);
		assert.equal(await page.isVisible('#system-webhooks'), false);
		assert.equal(await page.evaluate(() => sessionStorage.length), 0);
	});

	it("the moderator signs in and sees the user's webhook with its owner, its hostile name rendered as text", async () => {
		await signInOnPage(admin.token);
		const userRow = page.locator(row('user-webhook-rows', userHookId));
		await userRow.waitFor();
		assert.equal(await userRow.locator('td.name').textContent(), HOSTILE_NAME);
		assert.equal(await page.locator('img').count(), 0, 'no element was created from the name');
		assert.deepEqual(watch.dialogs, [], 'no alert fired');
		assert.match(String(await userRow.locator('td.owner').textContent()), /@bob/);
		// The user's URL may hold its receiver's credential: the page shows its scheme and host only.
		assert.equal(await userRow.locator('td.url').textContent(), `${new URL(receiver.url('/user')).origin}/(redacted)`);
		assert.equal((await page.content()).includes(receiver.url('/user')), false);
		assert.equal(await userRow.locator('[data-status]').getAttribute('data-status'), 'never-sent');
		assert.equal(await page.isVisible('#page-error'), false);
		// The token lives in this tab's session storage only.
		assert.equal(await page.evaluate(() => sessionStorage.getItem('misskey-webhooks.admin-token')), admin.token);
		assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
	});

	it('no secret appears in the page, not even the one the system webhook list reply carries', async () => {
		const listed = (await systemWebhooks()).find((webhook) => webhook.id === existingSystemHookId);
		assert.equal(listed.secret, EXISTING_SYSTEM_SECRET, 'the API hands the page this secret');
		await page.locator(row('system-webhook-rows', existingSystemHookId)).waitFor();

		await page.click(`${row('system-webhook-rows', existingSystemHookId)} [data-action="edit"]`);
		await page.locator('#system-webhook-editor').waitFor({ state: 'visible' });
		assert.equal(await page.inputValue('#system-webhook-secret'), '');
		assert.equal(await page.getAttribute('#system-webhook-secret', 'placeholder'), 'unchanged');
		assert.equal(await page.inputValue('#system-webhook-name'), 'existing');
		const html = await page.content();
		const inputValues = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((field) => (field as HTMLInputElement).value).join('\n'));
		for (const secret of [USER_SECRET, EXISTING_SYSTEM_SECRET]) {
			assert.equal(html.includes(secret), false, `${secret} is in the page's HTML`);
			assert.equal(inputValues.includes(secret), false, `${secret} is in a form field`);
		}
		await page.click('#system-webhook-form [data-action="cancel"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });
	});

	it('pausing the user webhook with a reason is what the API then reports, to moderators and to the owner', async () => {
		await page.click(`${row('user-webhook-rows', userHookId)} [data-action="toggle"]`);
		await page.locator('#pause-dialog').waitFor({ state: 'visible' });
		assert.equal(await page.textContent('#pause-webhook-name'), HOSTILE_NAME);
		await page.fill('#pause-reason', PAUSE_REASON);
		await page.click('#pause-form button[type="submit"]');
		await page.locator(`${row('user-webhook-rows', userHookId)} [data-status="paused"]`).waitFor();
		assert.equal(await page.textContent(`${row('user-webhook-rows', userHookId)} .pause-reason`), PAUSE_REASON);

		const listed = (await expectOk(origin, 'admin/webhooks/list', { userId: owner.id }, admin.token)).find((webhook: any) => webhook.id === userHookId);
		assert.equal(listed.active, false);
		assert.equal(listed.pausedBy, 'moderator');
		assert.equal(listed.pausedByUserId, admin.id);
		assert.equal(listed.pausedReason, PAUSE_REASON);
		assert.equal('secret' in listed, false);
		const shown = await expectOk(origin, 'i/webhooks/show', { webhookId: userHookId }, owner.token);
		assert.equal(shown.active, false);
		assert.equal(shown.pausedBy, 'moderator');
		assert.equal(shown.pausedReason, PAUSE_REASON);
	});

	it('a system webhook created with two event switches is stored as the page sent it, with the typed secret', async () => {
		await page.click('#new-system-webhook');
		await page.locator('#system-webhook-editor').waitFor({ state: 'visible' });
		assert.equal(await page.getAttribute('#system-webhook-secret', 'placeholder'), 'none');
		await page.fill('#system-webhook-name', 'moderation alerts');
		await page.fill('#system-webhook-url', receiver.url('/system'));
		await page.fill('#system-webhook-secret', TYPED_SYSTEM_SECRET);
		await page.check('#system-webhook-events input[value="userCreated"]');
		await page.check('#system-webhook-events input[value="abuseReport"]');
		assert.equal(await page.inputValue('#system-webhook-format'), 'misskey', 'a new webhook starts in Misskey format');
		await page.selectOption('#system-webhook-format', 'discord');
		await page.click('#system-webhook-form button[type="submit"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });

		const created = (await systemWebhooks()).find((webhook) => webhook.name === 'moderation alerts');
		assert.ok(created, 'admin/system-webhook/list has the new webhook');
		createdSystemHookId = created.id;
		// The switches are sent in Misskey's event order, whatever order they were clicked in.
		assert.deepEqual(created.on, ['abuseReport', 'userCreated']);
		assert.equal(created.isActive, true);
		assert.equal(created.url, receiver.url('/system'));
		assert.equal(created.secret, TYPED_SYSTEM_SECRET);
		assert.equal(created.format, 'discord');
		const createdRow = page.locator(row('system-webhook-rows', createdSystemHookId));
		await createdRow.waitFor();
		assert.equal(await createdRow.locator('td.name').textContent(), 'moderation alerts');
		assert.equal(await createdRow.locator('td.format').textContent(), 'Discord');
		assert.equal(await page.locator(`${row('system-webhook-rows', existingSystemHookId)} td.format`).textContent(), 'Misskey');
		assert.equal(await page.locator(`${row('user-webhook-rows', userHookId)} td.format`).textContent(), 'Slack');
		assert.equal((await page.content()).includes(TYPED_SYSTEM_SECRET), false);
	});

	it('toggling a system webhook turns it off and keeps its stored secret', async () => {
		await page.click(`${row('system-webhook-rows', createdSystemHookId)} [data-action="toggle"]`);
		await page.locator(`${row('system-webhook-rows', createdSystemHookId)} [data-status="paused"]`).waitFor();
		const toggled = (await systemWebhooks()).find((webhook) => webhook.id === createdSystemHookId);
		assert.equal(toggled.isActive, false);
		assert.equal(toggled.secret, TYPED_SYSTEM_SECRET);
		assert.deepEqual(toggled.on, ['abuseReport', 'userCreated']);
		assert.equal(toggled.name, 'moderation alerts');
		assert.equal(await page.textContent(`${row('system-webhook-rows', createdSystemHookId)} td.paused`), 'turned off by a moderator');
	});

	it('a system webhook the module paused shows who paused it, why (as text) and when', async () => {
		// As a 410 Gone pauses it in the worker; the page reads it back through admin/system-webhook/list.
		const database = await new DataSource({ type: 'postgres', url: testDatabaseUrl }).initialize();
		try {
			await database.query(
				`UPDATE "system_webhook" SET "isActive" = false, "pausedBy" = 'gone', "pausedReason" = $1, "pausedAt" = now() WHERE "id" = $2`,
				[HOSTILE_SYSTEM_PAUSE_REASON, existingSystemHookId],
			);
		} finally {
			await database.destroy();
		}
		await page.click('#refresh-system-webhooks');
		const pausedCell = `${row('system-webhook-rows', existingSystemHookId)} td.paused`;
		await page.locator(`${pausedCell} .pause-reason`).waitFor();
		assert.equal(await page.textContent(`${pausedCell} .paused-by`), 'receiver gone (410)');
		assert.equal(await page.textContent(`${pausedCell} .pause-reason`), HOSTILE_SYSTEM_PAUSE_REASON);
		assert.equal(await page.locator(`${pausedCell} img`).count(), 0, 'the reason is text, not markup');
		assert.ok(await page.locator(`${pausedCell} time`).getAttribute('datetime'));
		assert.equal(await page.getAttribute(`${row('system-webhook-rows', existingSystemHookId)} [data-status]`, 'data-status'), 'paused');
	});

	it('a test delivery sent from the editor reaches the receiver, in the format the page saved (Discord)', async () => {
		await page.click(`${row('system-webhook-rows', createdSystemHookId)} [data-action="edit"]`);
		await page.locator('#system-webhook-editor').waitFor({ state: 'visible' });
		await page.click('#system-webhook-events [data-test="abuseReport"]');
		await page.waitForFunction(() => document.getElementById('system-webhook-editor-notice')?.textContent === 'Test abuseReport delivery queued.');
		const [delivered] = await receiver.waitForRequests(1, 10_000, '/system');
		assert.equal(delivered!.headers['x-misskey-hook-id'], createdSystemHookId);
		assert.match(delivered!.json.embeds[0].title, /^New abuse report/);
		assert.deepEqual(delivered!.json.allowed_mentions, { parse: [] });
		await page.screenshot({ path: EDITOR_SCREENSHOT_PATH });
		await page.click('#system-webhook-form [data-action="cancel"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });
	});

	it('after a refresh the last-sent time shows (relative, exact in its title), and re-enabled after a 200 the webhook is ok', async () => {
		const sent = await waitForLatestSentAt(createdSystemHookId);
		await page.click('#refresh-system-webhooks');
		const time = page.locator(`${row('system-webhook-rows', createdSystemHookId)} time`);
		await time.waitFor();
		assert.equal(await time.getAttribute('datetime'), sent.latestSentAt);
		assert.equal(await time.getAttribute('title'), sent.latestSentAt);
		assert.match(String(await time.textContent()), /now|second/);
		// Inactive wins over the last status (first match).
		assert.equal(await page.getAttribute(`${row('system-webhook-rows', createdSystemHookId)} [data-status]`, 'data-status'), 'paused');

		await page.click(`${row('system-webhook-rows', createdSystemHookId)} [data-action="toggle"]`);
		await page.locator(`${row('system-webhook-rows', createdSystemHookId)} [data-status="ok"]`).waitFor();
		const enabled = (await systemWebhooks()).find((webhook) => webhook.id === createdSystemHookId);
		assert.equal(enabled.isActive, true);
		assert.equal(enabled.secret, TYPED_SYSTEM_SECRET);
	});

	it('writes a screenshot of the page as a test artefact', async () => {
		await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
		assert.ok((await stat(SCREENSHOT_PATH)).size > 10_000);
	});

	it('resuming the paused user webhook clears the pause, as the API then reports', async () => {
		await page.click(`${row('user-webhook-rows', userHookId)} [data-action="toggle"]`);
		await page.locator(`${row('user-webhook-rows', userHookId)} [data-status="never-sent"]`).waitFor();
		const listed = (await expectOk(origin, 'admin/webhooks/list', { userId: owner.id }, admin.token)).find((webhook: any) => webhook.id === userHookId);
		assert.equal(listed.active, true);
		assert.equal(listed.pausedBy, null);
	});

	it("a user webhook's delivery log opens from its row: what the owner sees, its chart, nothing to redeliver", async () => {
		const before = receiver.requests.filter((request) => request.path === '/user').length;
		await expectOk(origin, 'notes/create', { text: 'hello from bob' }, owner.token);
		await receiver.waitForRequests(before + 1, 10_000, '/user');
		const owned = await eventuallyDelivered('i/webhooks/deliveries/list', owner.token, userHookId);

		await page.click(`${row('user-webhook-rows', userHookId)} [data-action="deliveries"]`);
		const log = page.locator('#delivery-log');
		await log.locator(`li.delivery[data-id="${owned.id}"][data-status="delivered"]`).waitFor();
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'delivery-log-title', 'focus moves to the log');
		assert.equal(await page.textContent('#delivery-log-title'), 'User webhook delivery log');
		assert.equal(await log.locator('img').count(), 0, 'the hostile name stays text in the log too');
		await log.locator('figure.stats[data-total-delivered="1"]').first().waitFor();
		assert.equal(await log.locator('figure.stats').count(), 2, 'the last 24 hours and the last 14 days');
		assert.equal(await log.locator('[data-action="redeliver"]').count(), 0, "redelivering is the owner's call");
		assert.equal(await log.locator('form.recover').isVisible(), false);

		await log.locator(`li.delivery[data-id="${owned.id}"] [data-action="details"]`).click();
		await log.locator('.attempt').first().waitFor();
		assert.match(String(await log.locator('.attempt-answer').first().textContent()), /HTTP 200/);
		assert.match(String(await log.locator('pre.sent-body').textContent()), /hello from bob/);
		assert.equal((await page.content()).includes(USER_SECRET), false);
		await page.screenshot({ path: LOG_SCREENSHOT_PATH, fullPage: true });

		await page.click('#close-delivery-log');
		assert.equal(await log.isVisible(), false);
		assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action), 'deliveries', 'focus returns to the button');
	});

	it("a system webhook's log can redeliver: the receiver gets the delivery again", async () => {
		await signUp(origin, 'carol');
		const delivered = await eventuallyDelivered('admin/system-webhook/deliveries/list', admin.token, existingSystemHookId);
		const before = receiver.requests.filter((request) => request.path === '/existing').length;
		await page.click(`${row('system-webhook-rows', existingSystemHookId)} [data-action="deliveries"]`);
		const item = page.locator(`#delivery-log li.delivery[data-id="${delivered.id}"]`);
		await item.waitFor();
		assert.equal(await page.locator('#delivery-log form.recover').isVisible(), true);
		await item.locator('[data-action="redeliver"]').click();
		await receiver.waitForRequests(before + 1, 10_000, '/existing');
		await page.click('#close-delivery-log');
	});

	it("a system webhook's payload template is set from the editor: a refused one shows the API's error, a test sends the rendered text", async () => {
		const { id } = await expectOk(origin, 'admin/system-webhook/create', { isActive: true, name: 'templated', url: receiver.url('/templated'), on: ['userCreated'] }, admin.token);
		await page.click('#refresh-system-webhooks');
		await page.click(`${row('system-webhook-rows', id)} [data-action="edit"]`);
		await page.locator('#system-webhook-editor').waitFor({ state: 'visible' });
		assert.equal(await page.inputValue('#system-webhook-template'), '');
		await page.fill('#system-webhook-template', 'New user: {{ body.nosuchfield }}');
		await page.selectOption('#system-webhook-template-type', 'text/plain');
		await page.click('#system-webhook-form button[type="submit"]');
		const formError = page.locator('#system-webhook-form .error');
		await formError.waitFor();
		assert.match(String(await formError.textContent()), /^INVALID_PARAM: /);

		await page.fill('#system-webhook-template', 'New user: {{ body.username }}');
		await page.click('#system-webhook-form button[type="submit"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });
		const saved = (await systemWebhooks()).find((webhook) => webhook.id === id);
		assert.deepEqual([saved.template, saved.templateContentType], ['New user: {{ body.username }}', 'text/plain']);

		await page.click(`${row('system-webhook-rows', id)} [data-action="edit"]`);
		assert.equal(await page.inputValue('#system-webhook-template'), 'New user: {{ body.username }}');
		await page.click('#system-webhook-events [data-test="userCreated"]');
		const [sent] = await receiver.waitForRequests(1, 10_000, '/templated');
		assert.match(String(sent!.headers['content-type']), /^text\/plain/);
		assert.match(sent!.rawBody.toString(), /^New user: \S+$/);
		await page.click('#system-webhook-form [data-action="cancel"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });
	});

	it("the editor's Delete asks first in the confirm dialog: Cancel keeps the system webhook, Delete removes it", async () => {
		const { id } = await expectOk(origin, 'admin/system-webhook/create', { isActive: true, name: 'doomed', url: receiver.url('/doomed'), on: ['userCreated'] }, admin.token);
		await page.click('#refresh-system-webhooks');
		const openDelete = async () => {
			await page.click(`${row('system-webhook-rows', id)} [data-action="edit"]`);
			await page.click('#system-webhook-form [data-action="delete"]');
			await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
			assert.equal(await page.textContent('#confirm-dialog-title'), 'Are you sure?');
			assert.match(String(await page.textContent('#confirm-dialog-text')), /"doomed"/);
		};
		await openDelete();
		await page.click('#confirm-form [data-action="cancel"]');
		await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
		await page.click('#system-webhook-form [data-action="cancel"]');
		assert.ok((await systemWebhooks()).some((webhook) => webhook.id === id));

		await openDelete();
		assert.equal(await page.textContent('#confirm-form button[type="submit"]'), 'Delete');
		await page.click('#confirm-form button[type="submit"]');
		await page.locator('#system-webhook-editor').waitFor({ state: 'hidden' });
		await page.locator(row('system-webhook-rows', id)).waitFor({ state: 'detached' });
		assert.equal((await systemWebhooks()).some((webhook) => webhook.id === id), false);
	});

	it('throughout, the page raised no native dialog, script error or CSP refusal', () => {
		assert.deepEqual(watch.dialogs, []);
		assert.deepEqual(watch.problems, []);
	});
});
