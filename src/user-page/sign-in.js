// Signing in: MiAuth (Misskey's app authorisation) or a pasted token. MiAuth leaves the page for the server's
// approval page and comes back to it with `?session=`; the page then fetches the token once from
// `POST <apiBase>/miauth/<session>/check`.

// The permissions the page's endpoints need: i/webhooks/list, show and deliveries/list|show are `read:account`;
// create, update, delete and deliveries/redeliver|recover are `write:account`.
export const MIAUTH_PERMISSIONS = ['read:account', 'write:account'];
const APP_NAME = 'Webhooks';
// Which session this tab started, so a `?session=` it did not start is not checked.
const SESSION_KEY = 'misskey-webhooks.miauth-session';

/**
 * Where the server's MiAuth page lives: on the API's origin.
 * @param {string} apiBase
 */
function serverOrigin(apiBase) {
	return new URL(apiBase, location.href).origin;
}

/** The page's own address without query or hash: where the server sends the user back. */
function pageAddress() {
	return `${location.origin}${location.pathname}`;
}

/**
 * Starts MiAuth: a fresh session id, then off to `/miauth/<session>?name=&callback=&permission=`.
 * @param {string} apiBase
 */
export function startMiAuth(apiBase) {
	const session = crypto.randomUUID();
	sessionStorage.setItem(SESSION_KEY, session);
	const url = new URL(`/miauth/${session}`, serverOrigin(apiBase));
	url.searchParams.set('name', APP_NAME);
	url.searchParams.set('callback', pageAddress());
	url.searchParams.set('permission', MIAUTH_PERMISSIONS.join(','));
	location.assign(url.href);
}

/**
 * After the server sent the user back: the token and username of the session this tab started, or null when there is
 * none to finish; 'refused' when the server did not confirm it. The `?session=` leaves the address bar either way.
 * @param {string} apiBase
 * @returns {Promise<{ token: string, username: string | null } | 'refused' | null>}
 */
export async function finishMiAuth(apiBase) {
	const session = new URLSearchParams(location.search).get('session');
	if (session === null) return null;
	history.replaceState(null, '', pageAddress());
	const started = sessionStorage.getItem(SESSION_KEY);
	sessionStorage.removeItem(SESSION_KEY);
	if (started === null || started !== session) return 'refused';
	try {
		const response = await fetch(`${apiBase}/miauth/${encodeURIComponent(session)}/check`, {
			method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'omit', cache: 'no-store',
		});
		const body = await response.json();
		if (!response.ok || body?.ok !== true || typeof body.token !== 'string') return 'refused';
		return { token: body.token, username: typeof body.user?.username === 'string' ? body.user.username : null };
	} catch {
		return 'refused';
	}
}
