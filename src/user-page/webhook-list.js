// The caller's webhooks as cards (one column, so a phone shows them whole): status, options, why one is paused and
// how to resume it, and the actions.

import { completeFormDialog, confirmDeletion, runFormDialog } from './dialogs.js';
import { byId, clickedButton, h, whileBusy } from './dom.js';
import { t, tOr } from './strings.js';
import { editWebhook, USER_EVENT_TYPES } from './webhook-editor.js';
import { createDeliveriesPanel, ownDeliveryEndpoints, timeText } from './deliveries.js';
import { formatName } from './formats.js';

/** Statuses Misskey counts as a good last delivery (200, 201, 204; 202 and 3xx are not). */
const OK_STATUSES = new Set([200, 201, 204]);

/**
 * Misskey's status logic, first match wins: inactive → paused; never sent; 200/201/204 → ok; anything else → failing.
 * @param {import('./webhook-editor.js').UserWebhook} webhook
 */
function statusOf(webhook) {
	if (!webhook.active) return 'paused';
	if (webhook.latestStatus === null) return 'never-sent';
	return OK_STATUSES.has(webhook.latestStatus) ? 'ok' : 'failing';
}

/** @type {Record<string, import('./strings.js').StringKey>} */
const STATUS_TEXT = { paused: 'statusPaused', 'never-sent': 'statusNeverSent', ok: 'statusOk', failing: 'statusFailing' };

/** A badge with a symbol for the eye and the word (and the last answer when not OK) as text: not colour alone. */
/** @param {import('./webhook-editor.js').UserWebhook} webhook */
function statusBadge(webhook) {
	const status = statusOf(webhook);
	const answer = webhook.latestStatus === null ? null : webhook.latestStatus === 1 ? t('noAnswer') : `HTTP ${webhook.latestStatus}`;
	return h('span', { class: `status status-${status}`, 'data-status': status },
		h('span', { class: 'status-symbol', 'aria-hidden': 'true' }),
		t(STATUS_TEXT[status] ?? 'statusFailing'),
		answer !== null && status !== 'ok' ? ` (${answer})` : null);
}

/**
 * Why the webhook is off and what resumes it; the reason is shown as text.
 * @param {import('./webhook-editor.js').UserWebhook} webhook
 * @param {() => void} resume
 */
function pauseBox(webhook, resume) {
	const by = webhook.pausedBy ?? null;
	const what = by === 'moderator' ? t('pausedByModerator') : by === 'auto' ? t('pausedAuto') : by === 'gone' ? t('pausedGone') : t('pausedByYou');
	const how = by === 'moderator' ? t('resumeModerator') : by === null ? t('resumeOff') : t('resumeFix');
	return h('div', { class: 'pause-box', role: 'note' },
		h('p', { class: 'pause-what', text: what }),
		by === null ? null : h('p', { class: 'pause-reason', text: t('pausedReason', { reason: webhook.pausedReason || t('noReason') }) }),
		webhook.pausedAt ? h('p', { class: 'muted' }, timeText(webhook.pausedAt)) : null,
		h('p', { class: 'pause-how', text: how }),
		by === 'moderator' ? null : h('button', { type: 'button', class: 'primary', 'data-action': 'resume', text: t('resume'), onclick: resume }));
}

/**
 * @param {{ call: import('./api-client.js').ApiCall, report: import('./api-client.js').PageReport }} deps
 */
export function createWebhookList({ call, report }) {
	const listElement = byId('webhook-list');
	const empty = byId('webhooks-empty');
	const testDialog = completeFormDialog(/** @type {HTMLDialogElement} */ (byId('test-dialog')), { text: t('send'), class: 'primary' });
	const testType = /** @type {HTMLSelectElement} */ (byId('test-type'));
	for (const type of USER_EVENT_TYPES) testType.append(h('option', { value: type, text: tOr(`event_${type}`) }));
	/** Open delivery panels survive a reload of the list. */
	/** @type {Set<string>} */
	const openPanels = new Set();

	/** @returns {Promise<import('./api-client.js').ApiFailure | null>} */
	async function load() {
		const outcome = await call('i/webhooks/list', {});
		if (!outcome.ok) return outcome.error;
		render(/** @type {import('./webhook-editor.js').UserWebhook[]} */ (outcome.body));
		return null;
	}

	async function reload() {
		const error = await load();
		if (error !== null) report.error(error);
	}

	/** @param {import('./webhook-editor.js').UserWebhook[]} webhooks */
	function render(webhooks) {
		listElement.replaceChildren(...webhooks.map(card));
		empty.hidden = webhooks.length > 0;
	}

	/** @param {import('./webhook-editor.js').UserWebhook} webhook */
	function card(webhook) {
		const titleId = `webhook-${webhook.id}-name`;
		const panel = createDeliveriesPanel({ call, report, webhook, endpoints: ownDeliveryEndpoints });
		const deliveriesButton = h('button', { type: 'button', 'data-action': 'deliveries', 'aria-expanded': 'false', 'aria-controls': panel.element.id, text: t('deliveries') });
		/** @param {boolean} open */
		const setOpen = async (open) => {
			panel.element.hidden = !open;
			deliveriesButton.setAttribute('aria-expanded', String(open));
			deliveriesButton.textContent = t(open ? 'hideDeliveries' : 'deliveries');
			if (open) openPanels.add(webhook.id);
			else openPanels.delete(webhook.id);
			if (open) await panel.load();
		};
		deliveriesButton.addEventListener('click', (event) => void whileBusy(clickedButton(event), () => setOpen(panel.element.hidden)));

		let badge = statusBadge(webhook);
		const lastSent = h('dd', {}, webhook.latestSentAt ? timeText(webhook.latestSentAt) : t('never'));
		// After a test: the status and last-sent time as the server has them now, the rest of the card left as it is.
		const refreshStatus = async () => {
			const outcome = await call('i/webhooks/show', { webhookId: webhook.id });
			if (!outcome.ok) return;
			const fresh = statusBadge(outcome.body);
			badge.replaceWith(fresh);
			badge = fresh;
			lastSent.replaceChildren(outcome.body.latestSentAt ? timeText(outcome.body.latestSentAt) : t('never'));
		};
		const item = h('li', { class: 'webhook', 'data-id': webhook.id, 'aria-labelledby': titleId },
			h('div', { class: 'webhook-head' },
				h('h3', { id: titleId, class: 'name', text: webhook.name }),
				badge),
			h('p', { class: 'url', text: webhook.url }),
			h('dl', { class: 'facts' },
				h('div', {}, h('dt', { text: t('format') }), h('dd', { class: 'format', text: formatName(webhook.format) })),
				h('div', {}, h('dt', { text: t('events') }), h('dd', { text: webhook.on.join(', ') || '–' })),
				h('div', {}, h('dt', { text: t('retryPolicy') }), h('dd', { text: t(webhook.retryPolicy === 'misskey' ? 'retryMisskey' : 'retryStandard') })),
				h('div', {}, h('dt', { text: t('lastSent') }), lastSent)),
			webhook.active ? null : pauseBox(webhook, () => void resume(webhook)),
			h('div', { class: 'buttons' },
				h('button', { type: 'button', 'data-action': 'edit', text: t('edit'), onclick: () => void edit(webhook) }),
				h('button', { type: 'button', 'data-action': 'test', text: t('sendTest'), onclick: () => void sendTest(webhook, setOpen, panel, refreshStatus) }),
				deliveriesButton,
				h('button', { type: 'button', class: 'danger', 'data-action': 'delete', text: t('delete'), onclick: () => void remove(webhook) })),
			panel.element);
		if (openPanels.has(webhook.id)) void setOpen(true);
		return item;
	}

	/** @param {import('./webhook-editor.js').UserWebhook | null} webhook */
	async function edit(webhook) {
		if (await editWebhook(call, webhook)) {
			report.notice(t('saved'));
			await reload();
		}
	}

	/** @param {import('./webhook-editor.js').UserWebhook} webhook */
	async function resume(webhook) {
		const outcome = await call('i/webhooks/update', { webhookId: webhook.id, active: true });
		if (!outcome.ok) return report.error(outcome.error);
		report.notice(t('resumed'));
		await reload();
	}

	/** @param {import('./webhook-editor.js').UserWebhook} webhook */
	async function remove(webhook) {
		if (!(await confirmDeletion(t('confirmDelete', { name: webhook.name })))) return;
		const outcome = await call('i/webhooks/delete', { webhookId: webhook.id });
		if (!outcome.ok) return report.error(outcome.error);
		openPanels.delete(webhook.id);
		report.notice(t('deleted'));
		await reload();
	}

	/**
	 * Sends a test event, then opens the webhook's deliveries, where the test shows once sent.
	 * @param {import('./webhook-editor.js').UserWebhook} webhook
	 * @param {(open: boolean) => Promise<void>} setOpen
	 * @param {{ watchForNew(known: Set<string>): Promise<void>, currentIds(): Promise<Set<string>> }} panel
	 * @param {() => Promise<void>} refreshStatus
	 */
	async function sendTest(webhook, setOpen, panel, refreshStatus) {
		testType.value = webhook.on[0] ?? 'note';
		/** @type {Set<string>} */
		let known = new Set();
		const sent = await runFormDialog(testDialog, async () => {
			// The deliveries before the test, so the one it makes is told apart however quickly it is sent.
			known = await panel.currentIds();
			const outcome = await call('i/webhooks/test', { webhookId: webhook.id, type: testType.value });
			if (outcome.ok) return null;
			// Misskey lets only a login token send tests; say so in words next to the code.
			if (outcome.error.code === 'ACCESS_DENIED') return { ...outcome.error, message: `${outcome.error.message} ${t('testNeedsNativeToken')}` };
			return outcome.error;
		});
		if (!sent) return;
		report.notice(t('testSent', { name: webhook.name }));
		await setOpen(true);
		await panel.watchForNew(known);
		await refreshStatus();
	}

	byId('new-webhook').addEventListener('click', () => void edit(null));
	byId('refresh').addEventListener('click', (event) => void whileBusy(clickedButton(event), reload));

	return {
		load,
		clear() {
			openPanels.clear();
			listElement.replaceChildren();
			empty.hidden = true;
		},
	};
}
