import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { resetDatabase } from '../support/database.js';
import { TestReceiver } from '../support/receiver.js';
import { callHost, expectOk, signUp, type Account } from '../e2e/host-client.js';
import { repositoryRoot, startReferenceHost, type HostProcess } from '../e2e/host-process.js';
import { launchChromium, watchPage, type PageWatch } from './chromium.js';

const artifacts = `${repositoryRoot}test-artifacts`;
// Rendered as markup, either would create an <img> and fire an alert.
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_ANSWER = '<img src=x onerror=alert(2)><script>alert(3)</script>';

describe('the users\' webhook page in headless Chromium against the reference host (MiAuth sign-in)', function () {
	this.timeout(90_000);

	let receiver: TestReceiver;
	let host: HostProcess | undefined;
	let browser: Browser | undefined;
	let origin: string;
	let alice: Account;
	const contexts: BrowserContext[] = [];

	async function openPage(options: BrowserContextOptions = {}): Promise<{ page: Page; watch: PageWatch }> {
		const context = await browser!.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US', ...options });
		contexts.push(context);
		const page = await context.newPage();
		const watch = watchPage(page);
		await page.goto(`${origin}/webhooks`);
		return { page, watch };
	}

	async function signInWithToken(page: Page, token: string): Promise<void> {
		await page.fill('#token', token);
		await page.click('#token-form button[type="submit"]');
		await page.locator('#webhooks').waitFor();
	}

	/** Clears what the receiver heard; it answers `/hostile` with markup and a 500, everything else with 200 `thanks`. */
	function resetReceiver(): void {
		receiver.clear();
		receiver.replyAlways((request) => request.path === '/hostile'
			? { status: 500, headers: { 'content-type': 'text/html' }, body: HOSTILE_ANSWER }
			: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'thanks' });
	}

	const card = (page: Page, id: string) => page.locator(`#webhook-list li.webhook[data-id="${id}"]`);

	before(async () => {
		browser = await launchChromium();
		await resetDatabase();
		receiver = await new TestReceiver().start();
		resetReceiver();
		// The loopback receiver stands in for a public one, whose answers the delivery log shows.
		host = await startReferenceHost([50], { WEBHOOK_SHOW_PRIVATE_NETWORK_ANSWERS: 'on' });
		origin = host.listenUrl;
		await signUp(origin, 'admin');
		alice = await signUp(origin, 'alice');
		await mkdir(artifacts, { recursive: true });
	});

	after(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await browser?.close();
		await host?.stop();
		await receiver?.close();
	});

	describe('signed in through MiAuth', () => {
		let page: Page;
		let watch: PageWatch;
		let webhookId: string;

		before(async () => {
			({ page, watch } = await openPage());
		});

		it('MiAuth: the page asks the server for read:account and write:account, the user approves, the page holds the app token', async () => {
			await page.click('#miauth-start');
			await page.waitForURL(/\/miauth\//);
			const asked = new URL(page.url());
			assert.equal(asked.searchParams.get('permission'), 'read:account,write:account');
			assert.equal(asked.searchParams.get('callback'), `${origin}/webhooks`);
			const session = asked.pathname.split('/').at(-1)!;
			// Before approval the server confirms nothing.
			assert.deepEqual((await (await fetch(`${origin}/api/miauth/${session}/check`, { method: 'POST' })).json()), { ok: false });

			await page.fill('input[name="username"]', 'alice');
			await page.fill('input[name="password"]', 'alice-password');
			await page.click('button[type="submit"]');
			await page.waitForURL(`${origin}/webhooks`);
			await page.locator('#webhooks').waitFor();
			assert.equal(await page.textContent('#signed-in-as'), 'Signed in as @alice');
			const token = await page.evaluate(() => sessionStorage.getItem('misskey-webhooks.user-token'));
			assert.ok(token && token !== alice.token, 'an app token of its own, not the login token');
			assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
			// The session is answered once: a second check gets nothing.
			assert.deepEqual((await (await fetch(`${origin}/api/miauth/${session}/check`, { method: 'POST' })).json()), { ok: false });
			// The app token reads the webhooks, and nothing beyond what it was given.
			assert.equal((await callHost(origin, 'i/webhooks/list', {}, token)).status, 200);
			assert.equal((await callHost(origin, 'admin/system-webhook/list', {}, token)).body.error.code, 'ACCESS_DENIED');
		});

		it('a bad URL gets the API\'s error next to the URL field; a good one creates a Discord-format webhook', async () => {
			await page.click('#new-webhook');
			await page.fill('#field-name', 'To Discord');
			await page.fill('#field-url', 'not a url');
			await page.check('input[name="on"][value="note"]');
			await page.selectOption('#field-format', 'discord');
			await page.click('#webhook-form button[type="submit"]');
			const urlError = page.locator('#field-url-error');
			await urlError.waitFor();
			assert.match(String(await urlError.textContent()), /^INVALID_WEBHOOK_URL: The webhook URL is not allowed\. \(the URL does not parse\)$/);
			assert.equal(await page.getAttribute('#field-url', 'aria-invalid'), '');
			assert.equal(await page.isVisible('#field-name-error'), false);
			await page.screenshot({ path: `${artifacts}/user-page-bad-url.png` });

			await page.fill('#field-url', receiver.url('/discord'));
			await page.click('#webhook-form button[type="submit"]');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			const [created] = await expectOk(origin, 'i/webhooks/list', {}, alice.token);
			webhookId = created.id;
			assert.equal(created.format, 'discord');
			assert.deepEqual(created.on, ['note']);
			assert.equal(await card(page, webhookId).locator('.format').textContent(), 'Discord');
		});

		it('a test send with the MiAuth token shows why the server refuses it (Misskey sends tests for login tokens only)', async () => {
			await card(page, webhookId).locator('[data-action="test"]').click();
			await page.click('#test-form button[type="submit"]');
			const error = page.locator('#test-form .error');
			await error.waitFor();
			assert.match(String(await error.textContent()), /^ACCESS_DENIED: .*MiAuth/);
			await page.keyboard.press('Escape');
			await page.locator('#test-dialog').waitFor({ state: 'hidden' });
			assert.deepEqual(watch.problems, []);
		});
	});

	describe('signed in with a pasted token', () => {
		let page: Page;
		let watch: PageWatch;
		let webhookId: string;

		before(async () => {
			({ page, watch } = await openPage());
			await signInWithToken(page, alice.token);
			[{ id: webhookId }] = await expectOk(origin, 'i/webhooks/list', {}, alice.token);
		});

		it('sends a test, sees the delivery with the receiver\'s answer and the Discord body sent, and redelivers it', async () => {
			resetReceiver();
			const hook = card(page, webhookId);
			await hook.locator('[data-action="test"]').click();
			await page.selectOption('#test-type', 'note');
			await page.click('#test-form button[type="submit"]');
			const delivery = hook.locator('li.delivery').first();
			await delivery.waitFor();
			await page.waitForFunction((id) => document.querySelector(`li.webhook[data-id="${id}"] li.delivery .last-status`)?.textContent === 'HTTP 200', webhookId);
			const [sent] = await receiver.waitForRequests(1);
			assert.ok(Array.isArray(sent!.json.embeds) || typeof sent!.json.content === 'string', 'a Discord message was sent');
			assert.equal(await delivery.locator('.delivery-type').textContent(), 'note');
			assert.equal(await delivery.getAttribute('data-status'), 'delivered');

			await delivery.locator('[data-action="details"]').click();
			const attempt = delivery.locator('li.attempt').first();
			await attempt.waitFor();
			assert.match(String(await attempt.locator('.attempt-answer').textContent()), /HTTP 200/);
			assert.equal(await attempt.locator('.response-body').textContent(), 'thanks');
			assert.deepEqual(JSON.parse(String(await delivery.locator('.sent-body').textContent())).note?.id !== undefined, true);

			await delivery.locator('[data-action="redeliver"]').click();
			await page.waitForFunction((id) => /2 attempts/.test(document.querySelector(`li.webhook[data-id="${id}"] li.delivery`)?.textContent ?? ''), webhookId);
			await receiver.waitForRequests(2);
			assert.equal(await hook.locator('[data-status]').first().getAttribute('data-status'), 'ok', 'the card shows the test\'s answer');
			// The chart counts both attempts in the last hour and the last day, in bars and in words.
			await page.waitForFunction((id) => document.querySelector(`li.webhook[data-id="${id}"] figure.stats`)?.getAttribute('data-total-delivered') === '2', webhookId);
			const [lastDay, lastFortnight] = await hook.locator('figure.stats').all();
			assert.equal(await lastDay!.locator('li[data-series="delivered"]').textContent(), '2 delivered');
			assert.equal(await lastDay!.locator('li[data-series="failed"]').textContent(), '0 failed');
			assert.equal(await lastFortnight!.getAttribute('data-total-delivered'), '2');
			assert.equal(await lastDay!.locator('svg rect.bar-delivered').count(), 1, 'one hour has bars');
			assert.equal(await lastDay!.locator('svg').getAttribute('aria-hidden'), 'true', 'the words are the text alternative');
			await page.screenshot({ path: `${artifacts}/user-page.png`, fullPage: true });
			assert.deepEqual(watch.problems, []);
			assert.deepEqual(watch.dialogs, []);
		});

		it('a hostile webhook name and a hostile receiver answer render as text', async () => {
			const { id } = await expectOk(origin, 'i/webhooks/create', { name: HOSTILE_NAME, url: receiver.url('/hostile'), on: ['note'] }, alice.token);
			await expectOk(origin, 'i/webhooks/test', { webhookId: id, type: 'note' }, alice.token);
			await receiver.waitForRequests(1, 5000, '/hostile');
			await page.click('#refresh');
			const hook = card(page, id);
			await hook.waitFor();
			assert.equal(await hook.locator('h3.name').textContent(), HOSTILE_NAME);
			await hook.locator('[data-action="deliveries"]').click();
			const delivery = hook.locator('li.delivery').first();
			await delivery.waitFor();
			await delivery.locator('[data-action="details"]').click();
			const answer = delivery.locator('.response-body').first();
			await answer.waitFor({ state: 'attached' });
			assert.equal(await answer.textContent(), HOSTILE_ANSWER);
			assert.equal(await hook.locator('figure.stats').first().getAttribute('data-total-failed'), '1');
			await delivery.locator('summary').first().click();
			await answer.waitFor();
			await page.screenshot({ path: `${artifacts}/user-page-hostile.png`, fullPage: true });
			assert.equal(await page.locator('img').count(), 0, 'no element was made from either');
			assert.equal(await page.locator('main script').count(), 0);
			assert.deepEqual(watch.dialogs, [], 'no alert fired');
			assert.deepEqual(watch.problems, []);
		});

		it('shows why a webhook was paused and how to resume it', async () => {
			const { id } = await expectOk(origin, 'i/webhooks/create', { name: 'paused one', url: receiver.url('/off'), on: ['follow'] }, alice.token);
			await expectOk(origin, 'i/webhooks/update', { webhookId: id, active: false }, alice.token);
			await page.click('#refresh');
			const hook = card(page, id);
			await hook.locator('.pause-box').waitFor();
			assert.equal(await hook.locator('[data-status]').getAttribute('data-status'), 'paused');
			assert.equal(await hook.locator('.pause-what').textContent(), 'You turned this webhook off.');
			await hook.locator('[data-action="resume"]').click();
			await page.waitForFunction((webhook) => document.querySelector(`li.webhook[data-id="${webhook}"] [data-status]`)?.getAttribute('data-status') === 'never-sent', id);
			assert.equal((await expectOk(origin, 'i/webhooks/show', { webhookId: id }, alice.token)).active, true);
		});
	});

	describe('event types set by another client', () => {
		it('the editor offers our events and keeps an event type it has no switch for when it saves', async () => {
			const dora = await signUp(origin, 'dora');
			const { page } = await openPage();
			await signInWithToken(page, dora.token);
			const { id } = await expectOk(origin, 'i/webhooks/create', { name: 'fork client', url: receiver.url('/fork'), on: ['note', 'edited'] }, dora.token);
			await page.click('#refresh');
			await card(page, id).locator('[data-action="edit"]').click();
			await page.locator('#webhook-form input[name="on"][value="noteDeleted"]').check();
			await page.click('#webhook-form button[type="submit"]');
			await page.waitForFunction(() => !(document.querySelector('#webhook-editor') as HTMLDialogElement | null)?.open);
			assert.deepEqual((await expectOk(origin, 'i/webhooks/show', { webhookId: id }, dora.token)).on, ['note', 'noteDeleted', 'edited']);
		});
	});

	describe('the delivery rate', () => {
		it('a rate out of range gets the API\'s error next to its field; a good one is saved, and emptied it is the default again', async () => {
			const erin = await signUp(origin, 'erin');
			const { page } = await openPage();
			await signInWithToken(page, erin.token);
			const { id } = await expectOk(origin, 'i/webhooks/create', { name: 'rated', url: receiver.url('/rated'), on: ['note'] }, erin.token);
			await page.click('#refresh');
			await card(page, id).locator('[data-action="edit"]').click();
			assert.equal(await page.inputValue('#field-rate'), '', 'no rate of its own: the format\'s default');
			await page.fill('#field-rate', '0');
			await page.click('#webhook-form button[type="submit"]');
			const rateError = page.locator('#field-rate-error');
			await rateError.waitFor();
			assert.match(String(await rateError.textContent()), /^INVALID_PARAM: /);
			assert.equal(await page.getAttribute('#field-rate', 'aria-invalid'), '');
			assert.equal(await page.isVisible('#field-burst-error'), false);

			await page.fill('#field-rate', '1.5');
			await page.fill('#field-burst', '3');
			await page.click('#webhook-form button[type="submit"]');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			const saved = await expectOk(origin, 'i/webhooks/show', { webhookId: id }, erin.token);
			assert.deepEqual([saved.deliveryRate, saved.deliveryBurst], [1.5, 3]);

			await card(page, id).locator('[data-action="edit"]').click();
			assert.deepEqual([await page.inputValue('#field-rate'), await page.inputValue('#field-burst')], ['1.5', '3']);
			await page.fill('#field-rate', '');
			await page.fill('#field-burst', '');
			await page.click('#webhook-form button[type="submit"]');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			const reset = await expectOk(origin, 'i/webhooks/show', { webhookId: id }, erin.token);
			assert.deepEqual([reset.deliveryRate, reset.deliveryBurst], [null, null]);
		});
	});

	describe('templates and filters', () => {
		it('a template or a filter the API refuses gets its error, and where, next to its field; good ones are saved', async () => {
			const fay = await signUp(origin, 'fay');
			const { page, watch } = await openPage();
			await signInWithToken(page, fay.token);
			const { id } = await expectOk(origin, 'i/webhooks/create', { name: 'shaped', url: receiver.url('/shaped'), on: ['note'] }, fay.token);
			await page.click('#refresh');
			await card(page, id).locator('[data-action="edit"]').click();
			assert.deepEqual([await page.inputValue('#field-template'), await page.inputValue('#field-filter')], ['', '']);

			await page.fill('#field-template', '{"text": "{{ body.note.nosuchfield }}"}');
			await page.click('#webhook-form button[type="submit"]');
			const templateError = page.locator('#field-template-error');
			await templateError.waitFor();
			assert.match(String(await templateError.textContent()), /^INVALID_PARAM: .*line 1, column \d+/);
			assert.equal(await page.getAttribute('#field-template', 'aria-invalid'), '');

			await page.fill('#field-template', '{"text": "{{ body.note.text }}", "by": "{{ body.note.user.username }}"}');
			await page.fill('#field-filter', '{"regex": "a+"}');
			await page.click('#webhook-form button[type="submit"]');
			const filterError = page.locator('#field-filter-error');
			await filterError.waitFor();
			assert.match(String(await filterError.textContent()), /^INVALID_PARAM: .*at \/regex/);
			assert.equal(await page.isVisible('#field-template-error'), false);

			await page.fill('#field-filter', '{"hashtag": ["misskey"]}');
			await page.click('#webhook-form button[type="submit"]');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			const saved = await expectOk(origin, 'i/webhooks/show', { webhookId: id }, fay.token);
			assert.equal(saved.template, '{"text": "{{ body.note.text }}", "by": "{{ body.note.user.username }}"}');
			assert.equal(saved.templateContentType, 'application/json');
			assert.deepEqual(saved.filter, { hashtag: ['misskey'] });

			await card(page, id).locator('[data-action="edit"]').click();
			assert.deepEqual(JSON.parse(await page.inputValue('#field-filter')), { hashtag: ['misskey'] });
			await page.fill('#field-template', '');
			await page.fill('#field-filter', '');
			await page.click('#webhook-form button[type="submit"]');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			const cleared = await expectOk(origin, 'i/webhooks/show', { webhookId: id }, fay.token);
			assert.deepEqual([cleared.template, cleared.filter], [null, null]);
			assert.deepEqual(watch.problems, []);
		});
	});

	describe('phones, dark mode, Japanese and the keyboard', () => {
		it('fits a 360 px wide screen without sideways scrolling, and works from the keyboard', async () => {
			const { page, watch } = await openPage({ viewport: { width: 360, height: 780 } });
			await signInWithToken(page, alice.token);
			assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'nothing wider than the screen');
			await page.screenshot({ path: `${artifacts}/user-page-360.png`, fullPage: true });
			// Keyboard only: focus the first card's Edit button, open the editor with Enter, leave it with Escape.
			await page.focus('#webhook-list [data-action="edit"]');
			await page.keyboard.press('Enter');
			await page.locator('#webhook-editor').waitFor();
			assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-name');
			assert.ok(await page.evaluate(() => document.querySelector('#webhook-editor')!.scrollWidth <= 360));
			await page.screenshot({ path: `${artifacts}/user-page-360-editor.png` });
			await page.keyboard.press('Escape');
			await page.locator('#webhook-editor').waitFor({ state: 'hidden' });
			assert.deepEqual(watch.problems, []);
		});

		it('follows a dark colour scheme', async () => {
			const { page } = await openPage({ colorScheme: 'dark' });
			await signInWithToken(page, alice.token);
			const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			assert.equal(background, 'rgb(22, 25, 29)');
			await page.screenshot({ path: `${artifacts}/user-page-dark.png`, fullPage: true });
		});

		it('speaks Japanese to a Japanese browser', async () => {
			const { page, watch } = await openPage({ locale: 'ja-JP' });
			assert.equal(await page.getAttribute('html', 'lang'), 'ja');
			assert.equal(await page.textContent('#miauth-start'), 'Misskey でサインイン');
			await page.screenshot({ path: `${artifacts}/user-page-ja-sign-in.png` });
			await signInWithToken(page, alice.token);
			assert.equal(await page.textContent('h1'), 'あなたの Webhook');
			assert.equal(await page.textContent('#new-webhook'), '新しい Webhook');
			assert.equal(await page.title(), 'あなたの Webhook');
			await page.screenshot({ path: `${artifacts}/user-page-ja.png`, fullPage: true });

			// The parts the scripts add to the dialogs speak Japanese too: buttons, format names, the confirm dialog.
			await page.click('#new-webhook');
			assert.deepEqual(await page.locator('#webhook-form .buttons button').allTextContents(), ['保存', 'キャンセル']);
			assert.equal(await page.textContent('#field-format option[value="misskey"]'), 'Misskey (JSON エンベロープ)');
			await page.click('#webhook-form [data-action="cancel"]');
			await page.locator('#webhook-list [data-action="delete"]').first().click();
			await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
			assert.equal(await page.textContent('#confirm-dialog-title'), 'よろしいですか?');
			assert.deepEqual(await page.locator('#confirm-form .buttons button').allTextContents(), ['削除', 'キャンセル']);
			await page.click('#confirm-form [data-action="cancel"]');
			await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
			assert.deepEqual(watch.problems, []);
		});
	});
});
