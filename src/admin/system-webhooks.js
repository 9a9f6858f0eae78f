// System webhooks: the list, the enable switch, the editor with per-event switches and test buttons
// (Misskey's /admin/system-webhook page and MkSystemWebhookEditor), over admin/system-webhook/*.

import { byId, clickedButton, h, showError, whileBusy } from './dom.js';
import { webhookRow } from './webhook-status.js';
import { formatOptions } from './formats.js';
import { completeFormDialog, confirmDeletion, runFormDialog } from './dialogs.js';

/** Misskey's systemWebhookEventTypes, in its order, then ours: `userWebhookDisabled`, `abuseReportAutoResolved`. */
export const SYSTEM_WEBHOOK_EVENT_TYPES = ['abuseReport', 'abuseReportResolved', 'userCreated', 'inactiveModeratorsWarning', 'inactiveModeratorsInvitationOnlyChanged', 'userWebhookDisabled', 'abuseReportAutoResolved'];

/**
 * @typedef {Omit<import('../generated/system-webhook.js').SystemWebhook, 'secret'> & { hasSecret: boolean }} ShownSystemWebhook
 */

/**
 * What the page keeps of a packed SystemWebhook: everything but the secret. `list` and `show` carry it in clear;
 * the page drops it on arrival so it can never reach the DOM, and remembers only whether one is set.
 */
/**
 * @param {import('../generated/system-webhook.js').SystemWebhook} packed
 * @returns {ShownSystemWebhook}
 */
function withoutSecret(packed) {
	const { secret, ...shown } = packed;
	return { ...shown, hasSecret: typeof secret === 'string' && secret !== '' };
}

/**
 * The system webhook section. `call(endpoint, params)` is the signed-in API client; `report` shows page-level
 * errors and notices.
 * @param {{ call: import('./api-client.js').ApiCall, report: import('./api-client.js').PageReport, deliveryLog: ReturnType<typeof import('./delivery-log.js').createDeliveryLog> }} deps
 */
export function createSystemWebhookPanel({ call, report, deliveryLog }) {
	const rows = byId('system-webhook-rows');
	const empty = byId('system-webhooks-empty');
	const deleteButton = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-action': 'delete', class: 'danger', text: 'Delete' }));
	const dialog = completeFormDialog(/** @type {HTMLDialogElement} */ (byId('system-webhook-editor')), { text: 'Save', class: 'primary' }, deleteButton);
	const form = /** @type {HTMLFormElement} */ (byId('system-webhook-form'));
	const fields = {
		title: byId('system-webhook-editor-title'),
		name: /** @type {HTMLInputElement} */ (byId('system-webhook-name')),
		url: /** @type {HTMLInputElement} */ (byId('system-webhook-url')),
		secret: /** @type {HTMLInputElement} */ (byId('system-webhook-secret')),
		secretHint: byId('system-webhook-secret-hint'),
		format: /** @type {HTMLSelectElement} */ (byId('system-webhook-format')),
		template: /** @type {HTMLTextAreaElement} */ (byId('system-webhook-template')),
		templateContentType: /** @type {HTMLSelectElement} */ (byId('system-webhook-template-type')),
		isActive: /** @type {HTMLInputElement} */ (form.querySelector('input[name="isActive"]')),
		events: byId('system-webhook-events'),
		error: /** @type {HTMLElement} */ (form.querySelector('.error')),
		notice: byId('system-webhook-editor-notice'),
	};
	fields.format.append(...formatOptions());
	/** @type {ShownSystemWebhook[]} */
	let webhooks = [];
	/** @type {ShownSystemWebhook | null} The webhook open in the editor; null while creating one. */
	let editing = null;

	function render() {
		rows.replaceChildren(...webhooks.map(row));
		empty.hidden = webhooks.length > 0;
	}

	/** @param {ShownSystemWebhook} webhook */
	function row(webhook) {
		const toggleLabel = webhook.isActive ? 'Disable' : 'Enable';
		// Auto-disable and 410 Gone pause system webhooks too: the moderators see who, why and when.
		return webhookRow(webhook, { active: webhook.isActive, inactiveText: 'turned off by a moderator', actions: [
			h('button', { type: 'button', 'data-action': 'toggle', 'aria-label': `${toggleLabel} ${webhook.name}`, text: toggleLabel, onClick: (/** @type {Event} */ event) => void toggle(webhook, clickedButton(event)) }),
			h('button', { type: 'button', 'data-action': 'edit', 'aria-label': `Edit ${webhook.name}`, text: 'Edit', onClick: () => openEditor(webhook) }),
			h('button', { type: 'button', 'data-action': 'deliveries', 'aria-label': `Deliveries of ${webhook.name}`, text: 'Deliveries', onClick: (/** @type {Event} */ event) => void deliveryLog.open(webhook, 'system', clickedButton(event)) }),
		] });
	}

	/** Puts a packed webhook from an API answer in place (or adds it), keeping Misskey's order by id. */
	/** @param {import('../generated/system-webhook.js').SystemWebhook} packed */
	function upsert(packed) {
		const webhook = withoutSecret(packed);
		webhooks = [...webhooks.filter((other) => other.id !== webhook.id), webhook].sort((a, b) => a.id.localeCompare(b.id));
		render();
	}

	/**
	 * @param {ShownSystemWebhook} webhook
	 * @param {HTMLButtonElement} button
	 */
	async function toggle(webhook, button) {
		await whileBusy(button, async () => {
			// `update` takes the full object; without `secret` the stored secret is kept (our fix of Misskey's wipe).
			const outcome = await call('admin/system-webhook/update', { id: webhook.id, isActive: !webhook.isActive, name: webhook.name, on: webhook.on, url: webhook.url });
			if (!outcome.ok) return report.error(outcome.error);
			upsert(outcome.body);
			report.notice(`System webhook "${webhook.name}" ${webhook.isActive ? 'disabled' : 'enabled'}.`);
		});
	}

	/**
	 * @param {string} type
	 * @param {ShownSystemWebhook | null} webhook
	 */
	function eventSwitch(type, webhook) {
		return h('div', { class: 'event' },
			h('label', { class: 'switch' }, h('input', { type: 'checkbox', role: 'switch', name: 'on', value: type, checked: webhook?.on.some((event) => event === type) ?? false }), ` ${type}`),
			// A test needs a saved webhook: the endpoint finds it by id and overlays the unsaved URL and secret.
			webhook === null ? null : h('button', { type: 'button', 'data-test': type, 'aria-label': `Send a test ${type} delivery`, text: 'Send test', onClick: (/** @type {Event} */ event) => void sendTest(webhook, type, clickedButton(event)) }));
	}

	/** The form as `create`/`update` params; `secret` only when the moderator typed one, so the stored one is kept. */
	function formParams() {
		const secret = fields.secret.value;
		const on = SYSTEM_WEBHOOK_EVENT_TYPES.filter((type) => /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="on"][value="${type}"]`))?.checked);
		const template = fields.template.value.trim() === '' ? null : fields.template.value;
		return { isActive: fields.isActive.checked, name: fields.name.value, on, url: fields.url.value, format: fields.format.value, template, templateContentType: fields.templateContentType.value, ...(secret === '' ? {} : { secret }) };
	}

	/**
	 * @param {ShownSystemWebhook} webhook
	 * @param {string} type
	 * @param {HTMLButtonElement} button
	 */
	async function sendTest(webhook, type, button) {
		await whileBusy(button, async () => {
			const override = {
				...(fields.url.value !== '' && fields.url.value !== webhook.url ? { url: fields.url.value } : {}),
				...(fields.secret.value === '' ? {} : { secret: fields.secret.value }),
			};
			const outcome = await call('admin/system-webhook/test', { webhookId: webhook.id, type, ...(Object.keys(override).length > 0 ? { override } : {}) });
			showError(fields.error, outcome.ok ? null : outcome.error);
			fields.notice.textContent = outcome.ok ? `Test ${type} delivery queued.` : '';
		});
	}

	/** @param {ShownSystemWebhook | null} webhook */
	async function openEditor(webhook) {
		editing = webhook;
		fields.title.textContent = webhook === null ? 'New system webhook' : 'Edit system webhook';
		fields.name.value = webhook?.name ?? '';
		fields.url.value = webhook?.url ?? '';
		// Never prefilled: the page does not show a secret, even one the API handed it.
		fields.secret.value = '';
		fields.secret.placeholder = webhook === null ? 'none' : 'unchanged';
		fields.secretHint.textContent = webhook === null
			? 'Optional; sent as X-Misskey-Hook-Secret.'
			: webhook.hasSecret ? 'A secret is set. Leave empty to keep it, or type a new one.' : 'No secret is set. Type one to add it.';
		fields.isActive.checked = webhook?.isActive ?? true;
		fields.format.value = webhook?.format ?? 'misskey';
		fields.template.value = webhook?.template ?? '';
		fields.templateContentType.value = webhook?.templateContentType ?? 'application/json';
		fields.events.replaceChildren(...SYSTEM_WEBHOOK_EVENT_TYPES.map((type) => eventSwitch(type, webhook)));
		fields.notice.textContent = '';
		deleteButton.hidden = webhook === null;
		await runFormDialog(dialog, async () => {
			const params = formParams();
			const outcome = webhook === null
				? await call('admin/system-webhook/create', params)
				: await call('admin/system-webhook/update', { id: webhook.id, ...params });
			if (!outcome.ok) return outcome.error;
			upsert(outcome.body);
			report.notice(`System webhook "${outcome.body.name}" saved.`);
			return null;
		});
		// A typed secret must not linger in the closed form.
		fields.secret.value = '';
		editing = null;
	}

	deleteButton.addEventListener('click', () => {
		const webhook = editing;
		if (webhook === null) return;
		void whileBusy(deleteButton, async () => {
			if (!(await confirmDeletion(`Delete the system webhook "${webhook.name}"? Deliveries to it stop at once.`))) return;
			const outcome = await call('admin/system-webhook/delete', { id: webhook.id });
			if (!outcome.ok) return showError(fields.error, outcome.error);
			webhooks = webhooks.filter((other) => other.id !== webhook.id);
			render();
			dialog.close();
			report.notice(`System webhook "${webhook.name}" deleted.`);
		});
	});
	/** Loads the list; resolves to the API error (e.g. ROLE_PERMISSION_DENIED for a non-moderator) or null. */
	async function load() {
		const outcome = await call('admin/system-webhook/list', {});
		if (!outcome.ok) return outcome.error;
		webhooks = outcome.body.map(withoutSecret);
		render();
		return null;
	}

	byId('new-system-webhook').addEventListener('click', () => void openEditor(null));
	const refreshButton = /** @type {HTMLButtonElement} */ (byId('refresh-system-webhooks'));
	refreshButton.addEventListener('click', () => {
		void whileBusy(refreshButton, async () => {
			const error = await load();
			if (error !== null) report.error(error);
		});
	});

	return {
		load,
		/** Forgets everything shown, on sign-out. */
		clear() {
			webhooks = [];
			rows.replaceChildren();
			if (dialog.open) dialog.close();
		},
	};
}
