// The create / edit form: every option `i/webhooks/create` and `update` take. The browser does not validate
// (novalidate): the API decides, and its error goes next to the field it names.

import { completeFormDialog, runFormDialog } from './dialogs.js';
import { byId, h, showError } from './dom.js';
import { formatOptions } from './formats.js';
import { t, tOr } from './strings.js';

/** The user event types, in the order Misskey's settings list them, then ours. */
export const USER_EVENT_TYPES = ['follow', 'followed', 'unfollow', 'note', 'reply', 'renote', 'mention', 'reaction', 'noteEdited', 'noteDeleted', 'followRequestReceived', 'followRequestAccepted'];

/** The option switches and selects besides name, URL, secret, events and active. */
const OPTION_FIELDS = /** @type {const} */ (['format', 'retryPolicy']);
const OPTION_SWITCHES = /** @type {const} */ (['sendSecretHeader', 'excludeSpecifiedNotes', 'excludeFollowersNotes']);
/** Number options: empty is null (the default); anything else goes as typed when it is no number, for the API to judge. */
const OPTION_NUMBERS = /** @type {const} */ (['deliveryRate', 'deliveryBurst']);

/**
 * A JSON option (the filter): empty is null; text that is no JSON goes as typed, for the API to refuse where it is.
 * @param {string} typed
 * @returns {unknown}
 */
function jsonParam(typed) {
	if (typed.trim() === '') return null;
	try {
		return JSON.parse(typed);
	} catch {
		return typed;
	}
}

/**
 * @param {string} typed
 * @returns {number | string | null}
 */
function numberParam(typed) {
	const trimmed = typed.trim();
	if (trimmed === '') return null;
	const value = Number(trimmed);
	return Number.isFinite(value) ? value : trimmed;
}

/**
 * @typedef {{ id: string, name: string, url: string, on: string[], active: boolean, format?: string, retryPolicy?: string,
 *   sendSecretHeader?: boolean, excludeSpecifiedNotes?: boolean, excludeFollowersNotes?: boolean,
 *   deliveryRate?: number | null, deliveryBurst?: number | null, template?: string | null, templateContentType?: string,
 *   filter?: unknown,
 *   latestSentAt: string | null, latestStatus: number | null, pausedBy?: string | null, pausedReason?: string | null,
 *   pausedAt?: string | null }} UserWebhook
 */

const dialog = completeFormDialog(/** @type {HTMLDialogElement} */ (byId('webhook-editor')), { text: t('save'), class: 'primary' });
const form = /** @type {HTMLFormElement} */ (byId('webhook-form'));
const eventsBox = byId('field-events');

byId('field-format').append(...formatOptions());

for (const type of USER_EVENT_TYPES) {
	eventsBox.append(h('label', { class: 'event' }, h('input', { type: 'checkbox', name: 'on', value: type }), ' ', tOr(`event_${type}`)));
}

/**
 * @param {string} name
 * @returns {HTMLInputElement}
 */
function input(name) {
	return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

/**
 * The field an API error is about: `INVALID_PARAM`'s `info.param` (`#/properties/<name>/...`), or the error's own field.
 * @param {import('./api-client.js').ApiFailure} error
 * @returns {string | null}
 */
export function fieldOfError(error) {
	if (error.code === 'INVALID_WEBHOOK_URL' || error.code === 'INVALID_URL') return 'url';
	if (error.code === 'WEBHOOK_PAUSED_BY_MODERATOR') return 'active';
	const param = typeof error.info?.param === 'string' ? error.info.param : '';
	// `#/properties/<name>/...` from the params check; the bare name from an option's own check (template, filter).
	const match = /properties\/(\w+)/.exec(param) ?? /^(\w+)$/.exec(param);
	return match ? match[1] ?? null : null;
}

/**
 * The error with what its `info` says in words (`detail` of INVALID_WEBHOOK_URL, `reason` of INVALID_PARAM), so the
 * field says what is wrong, not only that something is.
 * @param {import('./api-client.js').ApiFailure} error
 * @returns {import('./api-client.js').ApiFailure}
 */
export function withDetail(error) {
	const detail = error.info?.detail ?? error.info?.reason;
	if (typeof detail !== 'string' || detail === '') return error;
	// Where in a template (line, column) or a filter (a JSON pointer) the problem is.
	const info = error.info ?? {};
	const place = typeof info.line === 'number' ? `line ${info.line}, column ${info.column}` : typeof info.path === 'string' && info.path !== '' ? `at ${info.path}` : '';
	return { ...error, message: `${error.message} (${detail}${place === '' ? '' : `; ${place}`})` };
}

/**
 * Shows an error next to its field (or clears them all with null); true when a field took it.
 * @param {HTMLFormElement} target
 * @param {import('./api-client.js').ApiFailure | null} error
 */
export function showFieldError(target, error) {
	const field = error === null ? null : fieldOfError(error);
	let shown = false;
	for (const box of /** @type {NodeListOf<HTMLElement>} */ (target.querySelectorAll('.field-error'))) {
		const here = field !== null && box.dataset.field === field;
		showError(box, here && error !== null ? withDetail(error) : null);
		shown ||= here;
		const control = box.id === '' ? null : target.querySelector(`[aria-describedby~="${box.id}"]`);
		if (control !== null) control.toggleAttribute('aria-invalid', here);
	}
	return shown;
}

/**
 * Opens the editor for a new webhook (null) or an existing one; resolves true once saved.
 * @param {import('./api-client.js').ApiCall} call
 * @param {UserWebhook | null} webhook
 * @returns {Promise<boolean>}
 */
export function editWebhook(call, webhook) {
	form.reset();
	showFieldError(form, null);
	byId('webhook-editor-title').textContent = t(webhook === null ? 'editorNew' : 'editorEdit');
	byId('field-secret-hint').textContent = t(webhook === null ? 'secretHintNew' : 'secretHintEdit');
	input('name').value = webhook?.name ?? '';
	input('url').value = webhook?.url ?? '';
	input('secret').value = '';
	const on = new Set(webhook?.on ?? []);
	for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll('input[name="on"]'))) box.checked = on.has(box.value);
	input('active').checked = webhook?.active ?? true;
	input('format').value = webhook?.format ?? 'misskey';
	input('retryPolicy').value = webhook?.retryPolicy ?? 'standard';
	input('sendSecretHeader').checked = webhook?.sendSecretHeader ?? true;
	input('excludeSpecifiedNotes').checked = webhook?.excludeSpecifiedNotes ?? false;
	input('excludeFollowersNotes').checked = webhook?.excludeFollowersNotes ?? false;
	for (const name of OPTION_NUMBERS) input(name).value = String(webhook?.[name] ?? '');
	input('template').value = webhook?.template ?? '';
	input('templateContentType').value = webhook?.templateContentType ?? 'application/json';
	input('filter').value = webhook?.filter === null || webhook?.filter === undefined ? '' : JSON.stringify(webhook.filter, null, 2);

	return runFormDialog(dialog, async () => {
		showFieldError(form, null);
		/** @type {Record<string, unknown>} */
		const params = {
			name: input('name').value,
			url: input('url').value,
			on: [
				...[...form.querySelectorAll('input[name="on"]:checked')].map((box) => /** @type {HTMLInputElement} */ (box).value),
				// Types this page has no switch for (set by another client) are the owner's choice: kept as they are.
				...(webhook?.on ?? []).filter((type) => !USER_EVENT_TYPES.includes(type)),
			],
		};
		for (const name of OPTION_FIELDS) params[name] = input(name).value;
		for (const name of OPTION_SWITCHES) params[name] = input(name).checked;
		for (const name of OPTION_NUMBERS) params[name] = numberParam(input(name).value);
		params.template = input('template').value.trim() === '' ? null : input('template').value;
		params.templateContentType = input('templateContentType').value;
		params.filter = jsonParam(input('filter').value);
		const secret = input('secret').value;
		const active = input('active').checked;
		let outcome;
		if (webhook === null) {
			if (secret !== '') params.secret = secret;
			// `create` takes no `active` (Misskey's webhooks start on): one created off is switched off right after.
			outcome = await call('i/webhooks/create', params);
			if (outcome.ok && !active) outcome = await call('i/webhooks/update', { webhookId: outcome.body.id, active: false });
		} else {
			if (secret !== '') params.secret = secret;
			// Sent only when changed: re-sending `active: true` for a webhook a moderator paused is refused as a whole.
			if (active !== webhook.active) params.active = active;
			outcome = await call('i/webhooks/update', { webhookId: webhook.id, ...params });
		}
		if (outcome.ok) return null;
		showFieldError(form, outcome.error);
		return outcome.error;
	});
}
