// The users' webhook page: sign in (MiAuth or a token), then the caller's webhooks with everything the API offers.
// It talks only to the server's public API (Misskey's calling convention), at the base the plugin wrote into
// <html data-api-base>.

import { signedInApi } from './api-client.js';
import { byId, pageReport, whileBusy } from './dom.js';
import { applyStaticStrings, t } from './strings.js';
import { finishMiAuth, startMiAuth } from './sign-in.js';
import { createWebhookList } from './webhook-list.js';

// Session storage only: the token ends with the tab, and no other tab or later visit can read it.
const TOKEN_KEY = 'misskey-webhooks.user-token';
const USERNAME_KEY = 'misskey-webhooks.user-name';
const apiBase = document.documentElement.dataset.apiBase ?? '/api';

applyStaticStrings();

/** @type {string | null} */
let token = null;

const signInSection = byId('sign-in');
const tokenForm = /** @type {HTMLFormElement} */ (byId('token-form'));
const tokenInput = /** @type {HTMLInputElement} */ (byId('token'));
const session = byId('session');
const signedInAs = byId('signed-in-as');
const webhooksSection = byId('webhooks');

const report = pageReport();
const call = signedInApi(apiBase, () => token);

const list = createWebhookList({ call, report });

/** @param {boolean} signedIn */
function showSignedIn(signedIn) {
	signInSection.hidden = signedIn;
	session.hidden = !signedIn;
	webhooksSection.hidden = !signedIn;
}

/**
 * Tries a token: it is kept only when the server lists the caller's webhooks with it.
 * @param {string} candidate
 * @param {string | null} username known from MiAuth; asked of `i` otherwise (an app token may not be allowed to)
 */
async function signIn(candidate, username) {
	token = candidate;
	const refused = await list.load();
	if (refused !== null) {
		token = null;
		sessionStorage.removeItem(TOKEN_KEY);
		sessionStorage.removeItem(USERNAME_KEY);
		showSignedIn(false);
		report.error(refused);
		return;
	}
	let name = username;
	if (name === null) {
		const me = await call('i', {});
		name = me.ok && typeof me.body?.username === 'string' ? me.body.username : null;
	}
	sessionStorage.setItem(TOKEN_KEY, candidate);
	if (name !== null) sessionStorage.setItem(USERNAME_KEY, name);
	tokenInput.value = '';
	signedInAs.textContent = name === null ? t('signedIn') : t('signedInAs', { username: name });
	showSignedIn(true);
	report.notice('');
}

function signOut() {
	token = null;
	sessionStorage.removeItem(TOKEN_KEY);
	sessionStorage.removeItem(USERNAME_KEY);
	list.clear();
	signedInAs.textContent = '';
	showSignedIn(false);
	report.notice(t('signedOut'));
	byId('miauth-start').focus();
}

byId('miauth-start').addEventListener('click', () => startMiAuth(apiBase));
tokenForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const candidate = tokenInput.value.trim();
	if (candidate === '') return;
	const button = /** @type {HTMLButtonElement} */ (tokenForm.querySelector('[type="submit"]'));
	void whileBusy(button, () => signIn(candidate, null));
});
byId('sign-out').addEventListener('click', signOut);

async function start() {
	const miauth = await finishMiAuth(apiBase);
	if (miauth === 'refused') {
		report.error({ code: 'MIAUTH_NOT_APPROVED', message: t('miauthNotApproved') });
		return;
	}
	if (miauth !== null) {
		report.notice(t('miauthWaiting'));
		await signIn(miauth.token, miauth.username);
		return;
	}
	const stored = sessionStorage.getItem(TOKEN_KEY);
	if (stored !== null) await signIn(stored, sessionStorage.getItem(USERNAME_KEY));
}

void start();
