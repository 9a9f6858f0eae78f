// One webhook's delivery log: each delivery's status, attempts and timings, its detail (every attempt with what the
// receiver answered, and the body sent), its charts, and where the endpoints allow, redeliver and recovering the failed
// ones of a time window. The user page shows it for the user's webhooks; the admin page for any webhook, over the
// moderators' endpoints. Everything the receiver sent back is shown as text.

import { clickedButton, h, showError, whileBusy } from './dom.js';
import { language, t, tOr } from './strings.js';
import { statsChart } from './chart.js';

const PAGE_SIZE = 10;

/** @type {ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]>} */
const UNITS = [['day', 24 * 3600], ['hour', 3600], ['minute', 60], ['second', 1]];

/**
 * A time as "3 minutes ago" in the page's language, the exact ISO time in `datetime` and the tooltip.
 * @param {string} iso
 */
export function timeText(iso) {
	const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
	const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
	const [unit, size] = UNITS.find(([, span]) => Math.abs(seconds) >= span) ?? ['second', 1];
	return h('time', { datetime: iso, title: iso, text: format.format(Math.trunc(seconds / size), unit) });
}

/** An HTTP status or `no answer`. */
/** @param {number | null} status */
function answerText(status) {
	if (status === null) return '–';
	return status === 1 ? t('noAnswer') : `HTTP ${status}`;
}

/**
 * @typedef {{ id: string, type: string, status: 'pending' | 'delivered' | 'failed', attemptCount: number, maxAttempts: number,
 *   createdAt: string, nextAttemptAt: string | null, lastAttemptAt: string | null, lastStatus: number | null }} Delivery
 * @typedef {{ number: number, trigger: string, startedAt: string, durationMs: number | null, status: number | null,
 *   errorClass: string | null, reason: string | null, responseBody: string | null }} Attempt
 */

/**
 * The endpoints a log reads from, and acts through where present: without `redeliver` or `recover` the log is read-only.
 * @typedef {{ list: string, show: string, stats: string, redeliver?: string, recover?: string }} DeliveryEndpoints
 */

/** @type {DeliveryEndpoints} The owner's own. */
export const ownDeliveryEndpoints = {
	list: 'i/webhooks/deliveries/list',
	show: 'i/webhooks/deliveries/show',
	stats: 'i/webhooks/deliveries/stats',
	redeliver: 'i/webhooks/deliveries/redeliver',
	recover: 'i/webhooks/deliveries/recover',
};

/**
 * A webhook's log panel.
 * @param {{ call: import('./api-client.js').ApiCall, report: import('./api-client.js').PageReport, webhook: { id: string, name: string }, endpoints: DeliveryEndpoints }} deps
 */
export function createDeliveriesPanel({ call, report, webhook, endpoints }) {
	const panelId = `deliveries-${webhook.id}`;
	const sinceId = `${panelId}-since`;
	const list = h('ul', { class: 'deliveries' });
	const empty = h('p', { class: 'empty', text: t('noDeliveries'), hidden: true });
	const more = h('button', { type: 'button', 'data-action': 'more', text: t('loadMore'), hidden: true });
	const sinceInput = /** @type {HTMLInputElement} */ (h('input', { id: sinceId, name: 'since', type: 'datetime-local', 'aria-describedby': `${sinceId}-hint ${sinceId}-error` }));
	const sinceError = h('p', { id: `${sinceId}-error`, class: 'field-error', hidden: true });
	const recoverForm = h('form', { class: 'recover', novalidate: true, hidden: endpoints.recover === undefined },
		h('h4', { text: t('recoverTitle') }),
		h('label', { for: sinceId, text: t('recoverSince') }),
		sinceInput,
		h('p', { id: `${sinceId}-hint`, class: 'hint', text: t('recoverHint') }),
		sinceError,
		h('button', { type: 'submit', text: t('recover') }));
	const charts = h('div', { class: 'charts' });
	const element = h('section', { id: panelId, class: 'deliveries-panel', 'aria-label': t('deliveriesOf', { name: webhook.name }), hidden: true },
		h('h4', { text: t('deliveriesOf', { name: webhook.name }) }), charts, list, empty, more, recoverForm);
	/** @type {string | null} */
	let oldestId = null;

	/**
	 * @param {Delivery[]} deliveries
	 * @param {boolean} append
	 */
	function render(deliveries, append) {
		const items = deliveries.map(item);
		if (append) list.append(...items);
		else list.replaceChildren(...items);
		oldestId = deliveries.length > 0 ? deliveries[deliveries.length - 1]?.id ?? oldestId : (append ? oldestId : null);
		empty.hidden = list.childElementCount > 0;
		more.hidden = deliveries.length < PAGE_SIZE;
	}

	/** @param {Delivery} delivery */
	function item(delivery) {
		const detail = h('div', { id: `delivery-${delivery.id}-detail`, class: 'delivery-detail', hidden: true });
		const detailButton = h('button', { type: 'button', 'data-action': 'details', 'aria-expanded': 'false', 'aria-controls': detail.id, text: t('details') });
		detailButton.addEventListener('click', (event) => void whileBusy(clickedButton(event), async () => {
			const open = detail.hidden;
			detail.hidden = !open;
			detailButton.setAttribute('aria-expanded', String(open));
			detailButton.textContent = t(open ? 'hideDetails' : 'details');
			if (open) await showDetail(delivery.id, detail);
		}));
		return h('li', { class: 'delivery', 'data-id': delivery.id, 'data-status': delivery.status },
			h('div', { class: 'delivery-head' },
				h('strong', { class: 'delivery-type', text: delivery.type }),
				h('span', { class: `delivery-status delivery-${delivery.status}`, text: tOr(`deliveryStatus_${delivery.status}`) }),
				// Manual attempts (redeliver, recover) come on top of the schedule's: past it, only the count means anything.
				h('span', { class: 'muted', text: delivery.attemptCount <= delivery.maxAttempts ? t('attemptsOf', { count: delivery.attemptCount, max: delivery.maxAttempts }) : t('attemptsCount', { count: delivery.attemptCount }) })),
			h('dl', { class: 'facts' },
				h('div', {}, h('dt', { text: t('created') }), h('dd', {}, timeText(delivery.createdAt))),
				h('div', {}, h('dt', { text: t('lastAttempt') }), h('dd', {}, delivery.lastAttemptAt ? timeText(delivery.lastAttemptAt) : '–')),
				h('div', {}, h('dt', { text: t('lastStatus') }), h('dd', { class: 'last-status', text: answerText(delivery.lastStatus) })),
				delivery.nextAttemptAt && delivery.status === 'pending' ? h('div', {}, h('dt', { text: t('nextAttempt') }), h('dd', {}, timeText(delivery.nextAttemptAt))) : null),
			h('div', { class: 'buttons' },
				detailButton,
				endpoints.redeliver === undefined ? null : h('button', { type: 'button', 'data-action': 'redeliver', text: t('redeliver'), onclick: (/** @type {Event} */ event) => void whileBusy(clickedButton(event), () => redeliver(delivery.id)) })),
			detail);
	}

	/**
	 * @param {string} deliveryId
	 * @param {HTMLElement} target
	 */
	async function showDetail(deliveryId, target) {
		const outcome = await call(endpoints.show, { deliveryId });
		if (!outcome.ok) {
			const box = h('p', { class: 'error', role: 'alert' });
			showError(box, outcome.error);
			target.replaceChildren(box);
			return;
		}
		/** @type {Attempt[]} */
		const attempts = outcome.body.attempts ?? [];
		target.replaceChildren(
			h('ol', { class: 'attempts' }, ...attempts.map((attempt) => h('li', { class: 'attempt' },
				h('p', {},
					h('strong', { text: t('attempt', { number: attempt.number }) }), ' · ',
					tOr(attempt.trigger === 'manual' ? 'triggerManual' : 'triggerScheduled'), ' · ',
					timeText(attempt.startedAt),
					attempt.durationMs === null ? null : ` · ${t('duration', { ms: attempt.durationMs })}`),
				h('p', { class: 'attempt-answer' }, `${t('answer')}: `, answerText(attempt.status), attempt.reason ? ` — ${attempt.reason}` : attempt.errorClass ? ` — ${attempt.errorClass}` : ''),
				h('details', {}, h('summary', { text: t('receiverAnswer') }),
					h('pre', { class: 'response-body', text: attempt.responseBody || t('noAnswerBody') }))))),
			h('details', {}, h('summary', { text: t('sentBody') }),
				h('pre', { class: 'sent-body', text: JSON.stringify(outcome.body.body, null, 2) ?? '' })));
	}

	/** @param {string} deliveryId */
	async function redeliver(deliveryId) {
		if (endpoints.redeliver === undefined) return;
		const outcome = await call(endpoints.redeliver, { deliveryId });
		if (!outcome.ok) return report.error(outcome.error);
		report.notice(t('redelivered'));
		await watchForChange(deliveryId);
	}

	/** @returns {Promise<Delivery[] | null>} */
	async function fetchPage(untilId = /** @type {string | null} */ (null)) {
		const outcome = await call(endpoints.list, { webhookId: webhook.id, limit: PAGE_SIZE, ...(untilId === null ? {} : { untilId }) });
		if (!outcome.ok) {
			report.error(outcome.error);
			return null;
		}
		return outcome.body;
	}

	/** The two charts, redrawn from `deliveries/stats`; a server without it keeps the list and shows no chart. */
	async function loadStats() {
		const outcome = await call(endpoints.stats, { webhookId: webhook.id });
		if (!outcome.ok) return charts.replaceChildren();
		charts.replaceChildren(statsChart(t('chartLast24Hours'), outcome.body.hours), statsChart(t('chartLast14Days'), outcome.body.days));
	}

	async function load() {
		const [deliveries] = await Promise.all([fetchPage(), loadStats()]);
		if (deliveries !== null) render(deliveries, false);
	}

	/** Re-reads the log a few times until `changed` holds for the newest page (a delivery is sent within moments). */
	/** @param {(deliveries: Delivery[]) => boolean} changed */
	async function pollUntil(changed) {
		for (let tries = 0; tries < 20; tries++) {
			const deliveries = await fetchPage();
			if (deliveries === null) return;
			render(deliveries, false);
			if (changed(deliveries)) return loadStats();
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** The ids of the newest page of deliveries, as the server has them now. */
	async function currentIds() {
		return new Set((await fetchPage())?.map((delivery) => delivery.id) ?? []);
	}

	/**
	 * After a test: until a delivery not among `known` has been attempted.
	 * @param {Set<string>} known
	 */
	async function watchForNew(known) {
		await pollUntil((deliveries) => deliveries.some((delivery) => !known.has(delivery.id) && delivery.attemptCount > 0));
	}

	/** After a redelivery: until the delivery shows one more attempt. */
	/** @param {string} deliveryId */
	async function watchForChange(deliveryId) {
		const before = (await fetchPage())?.find((delivery) => delivery.id === deliveryId)?.attemptCount ?? 0;
		await pollUntil((deliveries) => (deliveries.find((delivery) => delivery.id === deliveryId)?.attemptCount ?? 0) > before);
	}

	more.addEventListener('click', (event) => void whileBusy(clickedButton(event), async () => {
		const deliveries = await fetchPage(oldestId);
		if (deliveries !== null) render(deliveries, true);
	}));

	recoverForm.addEventListener('submit', (event) => {
		event.preventDefault();
		const button = /** @type {HTMLButtonElement} */ (recoverForm.querySelector('[type="submit"]'));
		void whileBusy(button, async () => {
			showError(sinceError, null);
			sinceInput.removeAttribute('aria-invalid');
			// A local date-time from the picker, sent as an ISO instant; anything else goes as typed, for the API to judge.
			const typed = sinceInput.value;
			const since = Number.isNaN(Date.parse(typed)) ? typed : new Date(typed).toISOString();
			if (endpoints.recover === undefined) return;
			const outcome = await call(endpoints.recover, { webhookId: webhook.id, since });
			if (!outcome.ok) {
				showError(sinceError, outcome.error);
				sinceInput.setAttribute('aria-invalid', 'true');
				return;
			}
			report.notice(t('recovered', { count: outcome.body?.count ?? 0 }));
			await load();
		});
	});

	return { element, load, watchForNew, currentIds };
}
