import assert from 'node:assert/strict';
import { REDACTED_URL_MARKER, redactWebhookUrl } from '../../src/core/redact-url.js';

describe('redactWebhookUrl: a webhook URL as moderators see it', () => {
	// The credential of each service, where it sits in the URL it gives.
	const credentialUrls: Array<[service: string, url: string, secret: string]> = [
		['Discord', 'https://discord.com/api/webhooks/123456789012345678/aBcD-token_xyz', 'aBcD-token_xyz'],
		['Slack', 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX', 'XXXXsecretXXXX'],
		['Telegram', 'https://api.telegram.org/bot123456:AAF-botToken/sendMessage?chat_id=-100123', 'AAF-botToken'],
		['Teams', 'https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SiGnAtUrE', 'SiGnAtUrE'],
		['Google Chat', 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KeY123&token=ToKeN456', 'ToKeN456'],
		['Gotify', 'https://gotify.example/message?token=AppToken42', 'AppToken42'],
		['ntfy', 'https://ntfy.sh/my-secret-topic-8f2', 'my-secret-topic-8f2'],
		['basic auth', 'https://user:passw0rd@receiver.example/hook', 'passw0rd'],
	];

	for (const [service, url, secret] of credentialUrls) {
		it(`${service}: scheme, host and the marker; neither the path nor the query`, () => {
			const redacted = redactWebhookUrl(url);
			const { protocol, host } = new URL(url);
			assert.equal(redacted, `${protocol}//${host}/${REDACTED_URL_MARKER}`);
			assert.equal(redacted.includes(secret), false);
		});
	}

	it('keeps a port, as the host that names the receiver', () => {
		assert.equal(redactWebhookUrl('http://127.0.0.1:8080/path?q=1'), `http://127.0.0.1:8080/${REDACTED_URL_MARKER}`);
	});

	it('a string that is not a URL shows only the marker', () => {
		assert.equal(redactWebhookUrl('not a url/with-a-token'), REDACTED_URL_MARKER);
	});
});
