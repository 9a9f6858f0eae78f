// Misskey's status logic for both webhook lists (first match wins), the last-sent time, and the table row both lists share.

import { h } from './dom.js';

/** Statuses Misskey counts as a good last delivery (200, 201, 204; 202 and 3xx are not). */
const OK_STATUSES = new Set([200, 201, 204]);

/**
 * inactive → paused; latestStatus null → never sent; 200/201/204 → ok; anything else (incl. `1`, no answer) → failing.
 * @param {boolean} active
 * @param {number | null} latestStatus
 * @returns {'paused' | 'never-sent' | 'ok' | 'failing'}
 */
export function webhookStatus(active, latestStatus) {
	if (!active) return 'paused';
	if (latestStatus === null) return 'never-sent';
	if (OK_STATUSES.has(latestStatus)) return 'ok';
	return 'failing';
}

/** @type {Record<ReturnType<typeof webhookStatus>, string>} */
const STATUS_LABELS = { paused: 'Paused', 'never-sent': 'Never sent', ok: 'OK', failing: 'Failing' };

/** What the last attempt answered, in words: an HTTP status, or `1` = no HTTP answer. */
/** @param {number | null} latestStatus */
function lastAnswer(latestStatus) {
	if (latestStatus === null) return null;
	if (latestStatus === 1) return 'no answer';
	return `HTTP ${latestStatus}`;
}

/** A status badge: a symbol for the eye, the word and last answer as text for everyone (not colour alone). */
/**
 * @param {boolean} active
 * @param {number | null} latestStatus
 */
export function statusBadge(active, latestStatus) {
	const status = webhookStatus(active, latestStatus);
	const answer = lastAnswer(latestStatus);
	return h('span', { class: `status status-${status}`, 'data-status': status, title: answer ?? 'no delivery yet' },
		h('span', { class: 'status-symbol', 'aria-hidden': 'true' }),
		STATUS_LABELS[status],
		answer !== null && status !== 'ok' ? h('span', { class: 'status-answer', text: ` (${answer})` }) : null);
}

/** Who paused a webhook, in words (`pausedBy`: `moderator` for user webhooks, `auto` / `gone` for the module itself). */
/** @type {Record<string, string>} */
const PAUSED_BY_LABELS = { moderator: 'by a moderator', auto: 'automatically', gone: 'receiver gone (410)' };

/**
 * The pause cell of either list: who paused it, why (as text, never markup) and when; `inactiveText` for an inactive
 * webhook no one recorded a pause of (turned off through the API).
 */
/**
 * @param {boolean} active
 * @param {{ pausedBy?: string | null, pausedReason?: string | null, pausedAt?: string | null }} webhook
 * @param {string} inactiveText
 */
export function pauseCell(active, webhook, inactiveText) {
	if (active) return h('td', { class: 'paused muted', text: '–' });
	if (webhook.pausedBy === null || webhook.pausedBy === undefined) return h('td', { class: 'paused muted', text: inactiveText });
	return h('td', { class: 'paused' },
		h('span', { class: 'paused-by muted', text: Object.hasOwn(PAUSED_BY_LABELS, webhook.pausedBy) ? PAUSED_BY_LABELS[webhook.pausedBy] : String(webhook.pausedBy) }),
		h('span', { class: 'pause-reason', text: webhook.pausedReason ? webhook.pausedReason : 'no reason given' }),
		webhook.pausedAt ? h('span', { class: 'muted' }, lastSentTime(webhook.pausedAt)) : null);
}

/** @type {ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]>} */
const UNITS = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60],
	['second', 1],
];

/** "3 minutes ago" for an ISO time, against `now` (ms), in the page's language. */
/**
 * @param {string} iso
 * @param {number} [now]
 */
export function relativeTime(iso, now = Date.now()) {
	const format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto' });
	const seconds = Math.round((Date.parse(iso) - now) / 1000);
	for (const [unit, size] of UNITS) {
		if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.trunc(seconds / size), unit);
	}
	return iso;
}

/** The last-sent time: relative in the text, exact ISO in `datetime` and the tooltip; "never" when null. */
/** @param {string | null} iso */
export function lastSentTime(iso) {
	if (iso === null) return h('span', { class: 'muted', text: 'never' });
	return h('time', { datetime: iso, title: iso, text: relativeTime(iso) });
}

/** @type {Record<string, string>} */
const FORMAT_LABELS = { misskey: 'Misskey', discord: 'Discord', slack: 'Slack', teams: 'Microsoft Teams', googlechat: 'Google Chat', telegram: 'Telegram', ntfy: 'ntfy', gotify: 'Gotify' };

/**
 * A webhook's body format as the tables show it; a server that predates formats sends none: Misskey's envelope.
 * @param {string | undefined} format
 * @returns {string}
 */
export function formatLabel(format) {
	return FORMAT_LABELS[format ?? 'misskey'] ?? String(format);
}

/**
 * A row of either webhook table: status, name, the owner (user webhooks only), URL, format, events, last sent, the
 * pause and the row's action buttons; `inactiveText` as for `pauseCell`.
 */
/**
 * @param {{ id: string, name: string, url: string, format?: string, on: readonly string[], latestStatus: number | null, latestSentAt: string | null, pausedBy?: string | null, pausedReason?: string | null, pausedAt?: string | null }} webhook
 * @param {{ active: boolean, owner?: HTMLElement, inactiveText: string, actions: HTMLElement[] }} cells
 */
export function webhookRow(webhook, { active, owner, inactiveText, actions }) {
	return h('tr', { 'data-id': webhook.id },
		h('td', {}, statusBadge(active, webhook.latestStatus)),
		h('td', { class: 'name', text: webhook.name }),
		owner,
		h('td', { class: 'url', text: webhook.url }),
		h('td', { class: 'format', text: formatLabel(webhook.format) }),
		h('td', { class: 'events', text: webhook.on.length > 0 ? webhook.on.join(', ') : '–' }),
		h('td', {}, lastSentTime(webhook.latestSentAt)),
		pauseCell(active, webhook, inactiveText),
		h('td', { class: 'actions' }, ...actions));
}
