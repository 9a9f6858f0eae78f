import assert from 'node:assert/strict';
import { webhookApiErrors } from '../../src/api/errors/api-errors.js';
import { checkWebhookUrl } from '../../src/api/params/webhook-url.js';
import { parseAllowedNetworks, type AllowedNetwork } from '../../src/config/allowed-networks.js';
import { TestReceiver } from '../support/receiver.js';
import { createSystemHook, newModerator, validSystemCreateParams } from './system-webhook-fixture.js';
import { createHook, newCaller, startApiHarness, validCreateParams, type ApiHarness } from './api-harness.js';

const INVALID_WEBHOOK_URL_ID = '4d1bea1d-0d8d-4a1b-b886-f6f3d8959c08';

function allowlist(...entries: string[]): AllowedNetwork[] {
	const parsed = parseAllowedNetworks(entries);
	if (!parsed.ok) throw new Error(parsed.problems.join('; '));
	return parsed.networks;
}

/** The rule a URL breaks with no allowlist, or null when it is accepted. */
function ruleBroken(url: string, allowed: AllowedNetwork[] = []): unknown {
	return checkWebhookUrl(url, allowed)?.info?.reason ?? null;
}

describe('webhook URL rules', () => {
	it('accepts http(s) URLs naming a host, or a public literal address', () => {
		for (const url of ['https://receiver.example/hook', 'http://receiver.example:8080/a?b=c', 'https://93.184.215.14/', 'https://[2606:4700:4700::1111]/hook', 'http://localhost/']) {
			assert.equal(checkWebhookUrl(url, []), null, url);
		}
	});

	it('refuses an unparsable URL', () => {
		for (const url of ['not a url', '/relative/path', 'http://', 'http://[::1/']) assert.equal(ruleBroken(url), 'unparsable', url);
	});

	it('refuses a scheme other than http and https', () => {
		for (const url of ['ftp://receiver.example/', 'file:///etc/passwd', 'ws://receiver.example/', 'javascript:alert(1)']) assert.equal(ruleBroken(url), 'unsupported-scheme', url);
	});

	it('refuses credentials in the URL, a user name alone included', () => {
		for (const url of ['http://user:pass@receiver.example/', 'https://user@receiver.example/', 'https://:pass@receiver.example/']) assert.equal(ruleBroken(url), 'credentials', url);
	});

	it('refuses a literal blocked address in every form URL parsing normalizes', () => {
		const cases: Array<[string, string]> = [
			['http://127.0.0.1/', 'loopback'],
			['http://2130706433/', 'loopback'],
			['http://0x7f.1/', 'loopback'],
			['http://017700000001/', 'loopback'],
			['http://10.0.0.1/', 'private'],
			['http://169.254.169.254/latest/meta-data/', 'link-local'],
			['http://[::1]:8080/', 'loopback'],
			['http://[::ffff:127.0.0.1]/', 'ipv4-mapped'],
			['http://[fd00::1]/', 'unique-local'],
			['http://0.0.0.0/', 'unspecified'],
		];
		for (const [url, addressClass] of cases) {
			const error = checkWebhookUrl(url, []);
			assert.equal(error?.definition, webhookApiErrors.invalidWebhookUrl, url);
			assert.equal(error.info?.reason, 'blocked-address', url);
			assert.equal(error.info?.addressClass, addressClass, url);
		}
		assert.equal(checkWebhookUrl('http://2130706433/', [])?.info?.detail, 'Blocked address: 127.0.0.1 (loopback)');
	});

	it('accepts a literal the allowlist allows, on its port (the scheme\'s default port counts)', () => {
		assert.equal(checkWebhookUrl('http://10.0.0.1/', allowlist('10.0.0.0/8')), null);
		assert.equal(checkWebhookUrl('http://[fd00::1]:8443/', allowlist('[fd00::]/8:8443')), null);
		assert.equal(checkWebhookUrl('http://10.0.0.1/', allowlist('10.0.0.0/8:80')), null);
		assert.equal(checkWebhookUrl('https://10.0.0.1/', allowlist('10.0.0.0/8:443')), null);
		assert.equal(ruleBroken('http://10.0.0.1:8080/', allowlist('10.0.0.0/8:80')), 'blocked-address');
		assert.equal(ruleBroken('http://10.0.0.1/', allowlist('192.168.0.0/16')), 'blocked-address');
	});

	it('a Telegram URL must name its chat and an ntfy URL its topic; other formats ask nothing of the URL', () => {
		const telegram = 'https://api.telegram.org/bot123:abc/sendMessage';
		assert.equal(checkWebhookUrl(telegram, [], 'telegram')?.info?.reason, 'format-target');
		assert.match(String(checkWebhookUrl(telegram, [], 'telegram')?.info?.detail), /chat_id=<chat>/);
		assert.equal(checkWebhookUrl(`${telegram}?chat_id=`, [], 'telegram')?.info?.reason, 'format-target');
		assert.equal(checkWebhookUrl(`${telegram}?chat_id=-1001234567890`, [], 'telegram'), null);
		assert.equal(checkWebhookUrl('https://ntfy.sh/', [], 'ntfy')?.info?.reason, 'format-target');
		assert.equal(checkWebhookUrl('https://ntfy.sh/misskey-alerts', [], 'ntfy'), null);
		for (const format of ['misskey', 'discord', 'slack', null, undefined]) assert.equal(checkWebhookUrl(telegram, [], format), null, String(format));
		assert.equal(checkWebhookUrl('ftp://ntfy.sh/', [], 'ntfy')?.info?.reason, 'unsupported-scheme', 'the URL rules come first');
	});

	it('INVALID_WEBHOOK_URL is a client error of its own id', () => {
		assert.deepEqual({ ...webhookApiErrors.invalidWebhookUrl }, {
			code: 'INVALID_WEBHOOK_URL', id: INVALID_WEBHOOK_URL_ID, message: 'The webhook URL is not allowed.', kind: 'client', httpStatus: 400,
		});
	});
});

describe('webhook URL rules on the endpoints', () => {
	let api: ApiHarness;
	let receiver: TestReceiver;

	before(async () => {
		receiver = await new TestReceiver().start();
		// Loopback is allowed on the receiver's port only: 127.0.0.1 on any other port, and 10.0.0.0/8, stay blocked.
		api = await startApiHarness({ options: { allowedPrivateNetworks: [`127.0.0.0/8:${receiver.port}`] } });
	});
	after(async () => {
		await api.close();
		await receiver.close();
	});

	function assertInvalidUrl(response: { status: number; body: any }, reason: string): void {
		assert.equal(response.status, 400);
		assert.equal(response.body.error.code, 'INVALID_WEBHOOK_URL');
		assert.equal(response.body.error.id, INVALID_WEBHOOK_URL_ID);
		assert.equal(response.body.error.info.reason, reason);
	}

	for (const [url, reason] of [
		['http://2130706433/', 'blocked-address'],
		['http://10.0.0.1/', 'blocked-address'],
		['ftp://receiver.example/', 'unsupported-scheme'],
		['http://user:pass@receiver.example/', 'credentials'],
		['not a url', 'unparsable'],
	]) {
		it(`i/webhooks/create refuses ${url} (${reason}) and stores nothing`, async () => {
			const { userId, token } = newCaller(api);
			assertInvalidUrl(await api.call('i/webhooks/create', { ...validCreateParams, url }, { token }), reason);
			assert.equal(await api.store.countByUser(userId), 0);
		});
	}

	it('i/webhooks/create accepts a literal address the allowlist allows', async () => {
		const { token } = newCaller(api);
		assert.equal((await createHook(api, token, { ...validCreateParams, url: receiver.url('/literal') })).url, receiver.url('/literal'));
	});

	it('i/webhooks/update refuses a blocked URL and keeps the saved one; other changes pass without a url', async () => {
		const { userId, token } = newCaller(api);
		const hook = await createHook(api, token);
		assertInvalidUrl(await api.call('i/webhooks/update', { webhookId: hook.id, url: 'http://10.0.0.1/', name: 'renamed' }, { token }), 'blocked-address');
		const unchanged = await api.store.findOwned(hook.id, userId);
		assert.equal(unchanged?.url, validCreateParams.url);
		assert.equal(unchanged?.name, validCreateParams.name);
		assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, name: 'renamed' }, { token })).status, 204);
	});

	it('a Telegram webhook without chat_id or an ntfy one without a topic is refused on create, update and test, with the stored half counted', async () => {
		const { userId, token } = newCaller(api);
		const telegram = 'https://api.telegram.org/bot123:abc/sendMessage';
		assertInvalidUrl(await api.call('i/webhooks/create', { ...validCreateParams, url: telegram, format: 'telegram' }, { token }), 'format-target');
		assert.equal(await api.store.countByUser(userId), 0);
		const hook = await createHook(api, token, { ...validCreateParams, url: `${telegram}?chat_id=42`, format: 'telegram' });
		// A new URL alone is checked against the stored format, a new format alone against the stored URL.
		assertInvalidUrl(await api.call('i/webhooks/update', { webhookId: hook.id, url: telegram }, { token }), 'format-target');
		assertInvalidUrl(await api.call('i/webhooks/update', { webhookId: hook.id, format: 'ntfy', url: 'https://ntfy.sh/' }, { token }), 'format-target');
		assertInvalidUrl(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { url: telegram } }, { token }), 'format-target');
		assert.equal((await api.store.findOwned(hook.id, userId))?.url, `${telegram}?chat_id=42`);
		const plain = await createHook(api, token, { ...validCreateParams, url: 'https://ntfy.sh/' });
		assertInvalidUrl(await api.call('i/webhooks/update', { webhookId: plain.id, format: 'ntfy' }, { token }), 'format-target');
		assert.equal((await api.call('i/webhooks/update', { webhookId: plain.id, format: 'ntfy', url: 'https://ntfy.sh/alerts' }, { token })).status, 204);
		assert.equal((await api.call('i/webhooks/update', { webhookId: hook.id, url: `${telegram}?chat_id=7` }, { token })).status, 204);
	});

	it('admin/system-webhook/create and update refuse a Telegram URL without chat_id', async () => {
		const { token } = newModerator(api);
		const telegram = 'https://api.telegram.org/bot123:abc/sendMessage';
		assertInvalidUrl(await api.call('admin/system-webhook/create', { ...validSystemCreateParams, url: telegram, format: 'telegram' }, { token }), 'format-target');
		const hook = await createSystemHook(api, token, { url: `${telegram}?chat_id=42`, format: 'telegram' });
		assertInvalidUrl(await api.call('admin/system-webhook/update', { ...validSystemCreateParams, id: hook.id, url: telegram }, { token }), 'format-target');
		assert.equal((await api.call('admin/system-webhook/update', { ...validSystemCreateParams, id: hook.id, url: telegram, format: 'misskey' }, { token })).status, 200);
	});

	it('i/webhooks/test refuses a blocked override.url and sends nothing', async () => {
		const { token } = newCaller(api);
		const hook = await createHook(api, token, { ...validCreateParams, url: receiver.url('/saved') });
		assertInvalidUrl(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { url: 'http://169.254.169.254/' } }, { token }), 'blocked-address');
		assertInvalidUrl(await api.call('i/webhooks/test', { webhookId: hook.id, type: 'note', override: { url: 'gopher://receiver.example/' } }, { token }), 'unsupported-scheme');
		assert.deepEqual(await receiver.settle(100), []);
	});
});
