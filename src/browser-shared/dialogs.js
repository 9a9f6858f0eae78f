// Modal forms in native <dialog> elements: keyboard and screen-reader handling come with the element, and no
// window.prompt/confirm is needed (they block the page and cannot show an API error next to the input).

import { byId, h, showError, whileBusy } from './dom.js';
import { t } from './strings.js';

/** The pending run of each dialog: what to do on submit and how to settle the caller's promise. */
/**
 * @typedef {(form: HTMLFormElement) => Promise<import('./api-client.js').ApiFailure | null>} DialogSubmit
 * @type {WeakMap<HTMLDialogElement, { submit: DialogSubmit, resolve: (done: boolean) => void }>}
 */
const pending = new WeakMap();
/** @type {WeakSet<HTMLDialogElement>} */
const wired = new WeakSet();

/**
 * @param {HTMLDialogElement} dialog
 * @param {boolean} value
 */
function settle(dialog, value) {
	const run = pending.get(dialog);
	if (run === undefined) return;
	pending.delete(dialog);
	run.resolve(value);
}

/** @param {HTMLDialogElement} dialog */
function wire(dialog) {
	if (wired.has(dialog)) return;
	wired.add(dialog);
	const form = dialog.querySelector('form');
	if (form === null) throw new Error('a form dialog has no <form>');
	/** @type {HTMLElement | null} */
	const errorBox = form.querySelector('.error');
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const run = pending.get(dialog);
		if (run === undefined) return;
		const button = /** @type {HTMLButtonElement} */ (event.submitter ?? form.querySelector('[type="submit"]'));
		void whileBusy(button, async () => {
			const error = await run.submit(form);
			if (error !== null) {
				if (errorBox !== null) showError(errorBox, error);
				return;
			}
			settle(dialog, true);
			dialog.close();
		});
	});
	for (const cancel of form.querySelectorAll('[data-action="cancel"]')) cancel.addEventListener('click', () => dialog.close());
	// Escape, Cancel and a programmatic close all end here; after a successful submit the run is already settled.
	dialog.addEventListener('close', () => settle(dialog, false));
}

/**
 * Opens a modal form. `submit(form)` resolves to null when done (the dialog closes, the promise resolves true) or to an
 * API error, shown in the dialog's alert while it stays open. Cancelling resolves false.
 * @param {HTMLDialogElement} dialog
 * @param {DialogSubmit} submit
 * @returns {Promise<boolean>}
 */
export function runFormDialog(dialog, submit) {
	wire(dialog);
	/** @type {HTMLElement | null} */
	const errorBox = dialog.querySelector('.error');
	if (errorBox !== null) showError(errorBox, null);
	settle(dialog, false);
	return new Promise((resolve) => {
		pending.set(dialog, { submit, resolve });
		dialog.showModal();
	});
}

/**
 * Completes a form dialog with the parts every one has: an alert for API errors under its heading and, at its end,
 * the buttons: `submit`, Cancel, then any `extra` ones.
 * @param {HTMLDialogElement} dialog
 * @param {{ text: string, class: 'primary' | 'danger' }} submit
 * @param {...HTMLElement} extra
 * @returns {HTMLDialogElement}
 */
export function completeFormDialog(dialog, submit, ...extra) {
	const form = dialog.querySelector('form');
	const heading = form?.querySelector('h2');
	if (form === null || form === undefined || heading === null || heading === undefined) throw new Error('a form dialog has no <form> with a heading');
	heading.after(h('p', { class: 'error', role: 'alert', hidden: true }));
	form.append(h('div', { class: 'buttons' },
		h('button', { type: 'submit', class: submit.class, text: submit.text }),
		h('button', { type: 'button', 'data-action': 'cancel', text: t('cancel') }),
		...extra));
	return dialog;
}

/** @type {HTMLDialogElement | null} Made on first use, the same on both pages. */
let confirmDialog = null;

/** Asks before something that cannot be undone; resolves true when the user confirmed. */
/** @param {string} text */
export function confirmDeletion(text) {
	if (confirmDialog === null) {
		const dialog = /** @type {HTMLDialogElement} */ (h('dialog', { id: 'confirm-dialog', 'aria-labelledby': 'confirm-dialog-title' },
			h('form', { id: 'confirm-form', class: 'editor' },
				h('h2', { id: 'confirm-dialog-title', text: t('confirmTitle') }),
				h('p', { id: 'confirm-dialog-text' }))));
		document.body.append(completeFormDialog(dialog, { text: t('delete'), class: 'danger' }));
		confirmDialog = dialog;
	}
	byId('confirm-dialog-text').textContent = text;
	return runFormDialog(confirmDialog, async () => null);
}
