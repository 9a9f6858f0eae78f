import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium package: CI installs it (.ci/run), the suite never downloads a browser of its own. */
export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Starts headless Chromium; a missing browser fails the suite with what to install (never a skip). */
export async function launchChromium(): Promise<Browser> {
	if (!existsSync(chromiumPath)) {
		throw new Error(`Chromium is missing at ${chromiumPath}: install Debian's package (apt-get install -y --no-install-recommends chromium); .ci/run does this before the suite`);
	}
	return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** What a page did that a test did not ask for: native dialogs (alert, prompt, ...) and script errors or CSP refusals. */
export interface PageWatch {
	dialogs: string[];
	problems: string[];
}

/** Records every native dialog (dismissing it) and every uncaught error or console error of the page. */
export function watchPage(page: Page): PageWatch {
	const watch: PageWatch = { dialogs: [], problems: [] };
	page.on('dialog', (dialog) => {
		watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	page.on('pageerror', (error) => watch.problems.push(`uncaught: ${error.message}`));
	page.on('console', (message) => {
		// A 4xx answer the page handles (e.g. ROLE_PERMISSION_DENIED) is logged by Chromium as a failed resource: expected.
		if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) watch.problems.push(`console: ${message.text()}`);
	});
	return watch;
}
