import assert from 'node:assert/strict';
import '../support/browser-modules.js';

// The page's scripts are plain browser modules without type declarations; this one's status logic is pure.
const statusModulePath = '../../src/admin/webhook-status.js';
const { webhookStatus, formatLabel } = (await import(statusModulePath)) as {
	webhookStatus(active: boolean, latestStatus: number | null): string;
	formatLabel(format: string | undefined): string;
};

describe("the admin page's webhook status (Misskey's status icon: first match wins)", () => {
	it('an inactive webhook is paused, whatever its last status', () => {
		for (const latestStatus of [null, 200, 500, 1]) assert.equal(webhookStatus(false, latestStatus), 'paused', String(latestStatus));
	});

	it('an active webhook without a delivery yet is never sent', () => {
		assert.equal(webhookStatus(true, null), 'never-sent');
	});

	it('200, 201 and 204 are ok', () => {
		for (const latestStatus of [200, 201, 204]) assert.equal(webhookStatus(true, latestStatus), 'ok', String(latestStatus));
	});

	it('anything else is failing: 202, a redirect, 4xx, 5xx and 1 (no HTTP answer)', () => {
		for (const latestStatus of [202, 203, 301, 400, 410, 429, 500, 503, 1]) assert.equal(webhookStatus(true, latestStatus), 'failing', String(latestStatus));
	});
});

describe("the admin page's format label", () => {
	it('names each format, and a webhook from a server without formats (no key) as Misskey', () => {
		assert.deepEqual(
			['misskey', 'discord', 'slack', 'teams', 'googlechat', 'telegram', 'ntfy', 'gotify', undefined].map(formatLabel),
			['Misskey', 'Discord', 'Slack', 'Microsoft Teams', 'Google Chat', 'Telegram', 'ntfy', 'Gotify', 'Misskey'],
		);
	});
});
