// The admin page's entry point: sign in with a moderator token, then show both webhook lists.
// It talks only to the server's public API (Misskey's calling convention), at the base the plugin wrote into
// <html data-api-base>.

import { signedInApi } from './api-client.js';
import { byId, pageReport, whileBusy } from './dom.js';
import { createDeliveryLog } from './delivery-log.js';
import { createSystemWebhookPanel } from './system-webhooks.js';
import { createUserWebhookPanel } from './user-webhooks.js';

// Session storage only: the token ends with the tab, and no other tab or later visit can read it.
const TOKEN_KEY = 'misskey-webhooks.admin-token';
const apiBase = document.documentElement.dataset.apiBase ?? '/api';

/** @type {string | null} */
let token = null;

const signInForm = /** @type {HTMLFormElement} */ (byId('sign-in'));
const tokenInput = /** @type {HTMLInputElement} */ (byId('token'));
const session = byId('session');
const signedInAs = byId('signed-in-as');
const sections = [byId('system-webhooks'), byId('user-webhooks')];

const report = pageReport();
const call = signedInApi(apiBase, () => token);

const deliveryLog = createDeliveryLog({ call, report });
const systemPanel = createSystemWebhookPanel({ call, report, deliveryLog });
const userPanel = createUserWebhookPanel({ call, report, deliveryLog });

/** @param {boolean} signedIn */
function showSignedIn(signedIn) {
	signInForm.hidden = signedIn;
	session.hidden = !signedIn;
	for (const section of sections) section.hidden = !signedIn;
}

/** Tries a token: it is kept only when the server accepts it as a moderator's (the system list is moderator-only). */
/** @param {string} candidate */
async function signIn(candidate) {
	token = candidate;
	const refused = await systemPanel.load();
	if (refused !== null) {
		token = null;
		sessionStorage.removeItem(TOKEN_KEY);
		showSignedIn(false);
		report.error(refused);
		return;
	}
	sessionStorage.setItem(TOKEN_KEY, candidate);
	tokenInput.value = '';
	showSignedIn(true);
	report.notice('');
	const [me, usersRefused] = await Promise.all([call('i', {}), userPanel.load()]);
	signedInAs.textContent = me.ok && typeof me.body?.username === 'string' ? `Signed in as @${me.body.username}` : 'Signed in';
	if (usersRefused !== null) report.error(usersRefused);
}

function signOut() {
	token = null;
	sessionStorage.removeItem(TOKEN_KEY);
	systemPanel.clear();
	userPanel.clear();
	deliveryLog.close();
	signedInAs.textContent = '';
	showSignedIn(false);
	report.notice('Signed out.');
	tokenInput.focus();
}

signInForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const candidate = tokenInput.value.trim();
	if (candidate === '') return;
	const button = /** @type {HTMLButtonElement} */ (signInForm.querySelector('[type="submit"]'));
	void whileBusy(button, () => signIn(candidate));
});
byId('sign-out').addEventListener('click', signOut);

const stored = sessionStorage.getItem(TOKEN_KEY);
if (stored !== null) void signIn(stored);
