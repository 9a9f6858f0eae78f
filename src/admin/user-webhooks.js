// User webhooks across all users: owner, status, pause reason, and the moderator's pause/resume switch
// over admin/webhooks/list and admin/webhooks/update. Their secrets never reach the page.

import { byId, clickedButton, h, whileBusy } from './dom.js';
import { webhookRow } from './webhook-status.js';
import { completeFormDialog, runFormDialog } from './dialogs.js';

/** The endpoint's page size limit. */
const PAGE_SIZE = 100;

/** The filter form as list params: what to show and, optionally, one owner. */
/**
 * @typedef {import('../generated/moderator-user-webhook.js').ModeratorUserWebhook} ListedWebhook
 */

/** @param {HTMLFormElement} form */
function filterParams(form) {
	const data = new FormData(form);
	const show = data.get('show');
	const userId = String(data.get('userId') ?? '').trim();
	return {
		...(show === 'active' ? { active: true } : show === 'paused' ? { active: false } : show === 'failing' ? { failing: true } : {}),
		...(userId === '' ? {} : { userId }),
	};
}

/** `@name@host` as Misskey writes an account, from a packed UserLite. */
/** @param {{ username: string, host?: string | null }} user */
function acct(user) {
	return user.host === null || user.host === undefined ? `@${user.username}` : `@${user.username}@${user.host}`;
}

/** @param {ListedWebhook} webhook */
function ownerCell(webhook) {
	const user = webhook.user;
	if (user === null || user === undefined) return h('td', { class: 'owner', text: webhook.userId });
	return h('td', { class: 'owner', title: `user id ${webhook.userId}` },
		h('span', { class: 'acct', text: acct(user) }),
		user.name ? h('span', { class: 'muted display-name', text: user.name }) : null);
}

/**
 * The user webhook section. `call(endpoint, params)` is the signed-in API client; `report` shows page-level errors
 * and notices.
 * @param {{ call: import('./api-client.js').ApiCall, report: import('./api-client.js').PageReport, deliveryLog: ReturnType<typeof import('./delivery-log.js').createDeliveryLog> }} deps
 */
export function createUserWebhookPanel({ call, report, deliveryLog }) {
	const rows = byId('user-webhook-rows');
	const empty = byId('user-webhooks-empty');
	const more = /** @type {HTMLButtonElement} */ (byId('user-webhooks-more'));
	const filter = /** @type {HTMLFormElement} */ (byId('user-webhook-filter'));
	const pauseDialog = completeFormDialog(/** @type {HTMLDialogElement} */ (byId('pause-dialog')), { text: 'Pause', class: 'primary' });
	const pauseReason = /** @type {HTMLTextAreaElement} */ (byId('pause-reason'));
	/** @type {ListedWebhook[]} */
	let webhooks = [];

	function render() {
		rows.replaceChildren(...webhooks.map(row));
		empty.hidden = webhooks.length > 0;
	}

	/** @param {ListedWebhook} webhook */
	function row(webhook) {
		const action = webhook.active ? 'Pause' : 'Resume';
		return webhookRow(webhook, { active: webhook.active, owner: ownerCell(webhook), inactiveText: 'turned off by its owner', actions: [
			h('button', { type: 'button', 'data-action': 'toggle', 'aria-label': `${action} ${webhook.name}`, text: action, onClick: (/** @type {Event} */ event) => void (webhook.active ? pause(webhook) : resume(webhook, clickedButton(event))) }),
			h('button', { type: 'button', 'data-action': 'deliveries', 'aria-label': `Deliveries of ${webhook.name}`, text: 'Deliveries', onClick: (/** @type {Event} */ event) => void deliveryLog.open(webhook, 'user', clickedButton(event)) }),
		] });
	}

	/** Fetches one page with the current filter; resolves to the API error or null. */
	/** @param {string} [untilId] */
	async function fetchPage(untilId) {
		const outcome = await call('admin/webhooks/list', { ...filterParams(filter), limit: PAGE_SIZE, ...(untilId === undefined ? {} : { untilId }) });
		if (!outcome.ok) return outcome.error;
		webhooks = untilId === undefined ? outcome.body : [...webhooks, ...outcome.body];
		more.hidden = outcome.body.length < PAGE_SIZE;
		render();
		return null;
	}

	/** `update` answers 204, so the changed row is read back from the list, filtered to its owner. */
	/** @param {ListedWebhook} webhook */
	async function refresh(webhook) {
		const outcome = await call('admin/webhooks/list', { userId: webhook.userId, limit: PAGE_SIZE });
		if (!outcome.ok) return report.error(outcome.error);
		/** @type {ListedWebhook[]} */
		const listed = outcome.body;
		const fresh = listed.find((other) => other.id === webhook.id);
		webhooks = fresh === undefined ? webhooks.filter((other) => other.id !== webhook.id) : webhooks.map((other) => (other.id === webhook.id ? fresh : other));
		render();
	}

	/** @param {ListedWebhook} webhook */
	async function pause(webhook) {
		byId('pause-webhook-name').textContent = webhook.name;
		byId('pause-webhook-owner').textContent = webhook.user ? acct(webhook.user) : webhook.userId;
		pauseReason.value = '';
		const paused = await runFormDialog(pauseDialog, async () => {
			const reason = pauseReason.value.trim();
			const outcome = await call('admin/webhooks/update', { webhookId: webhook.id, active: false, ...(reason === '' ? {} : { reason }) });
			return outcome.ok ? null : outcome.error;
		});
		if (!paused) return;
		report.notice(`Webhook "${webhook.name}" paused.`);
		await refresh(webhook);
	}

	/**
	 * @param {ListedWebhook} webhook
	 * @param {HTMLButtonElement} button
	 */
	async function resume(webhook, button) {
		await whileBusy(button, async () => {
			const outcome = await call('admin/webhooks/update', { webhookId: webhook.id, active: true });
			if (!outcome.ok) return report.error(outcome.error);
			report.notice(`Webhook "${webhook.name}" resumed.`);
			await refresh(webhook);
		});
	}

	filter.addEventListener('submit', (event) => {
		event.preventDefault();
		const button = /** @type {HTMLButtonElement} */ (filter.querySelector('[type="submit"]'));
		void whileBusy(button, async () => {
			const error = await fetchPage(undefined);
			if (error !== null) report.error(error);
		});
	});
	more.addEventListener('click', () => {
		const last = webhooks.at(-1);
		void whileBusy(more, async () => {
			const error = await fetchPage(last?.id);
			if (error !== null) report.error(error);
		});
	});

	return {
		/** Loads the first page; resolves to the API error or null. */
		load: () => fetchPage(undefined),
		/** Forgets everything shown, on sign-out. */
		clear() {
			webhooks = [];
			rows.replaceChildren();
			more.hidden = true;
			if (pauseDialog.open) pauseDialog.close();
		},
	};
}
