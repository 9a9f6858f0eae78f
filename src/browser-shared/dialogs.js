// Modal forms in native <dialog> elements: keyboard and screen-reader handling come with the element, and no
// window.prompt/confirm is needed (they block the page and cannot show an API error next to the input).

import { byId, showError, whileBusy } from './dom.js';

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

/** Asks before something that cannot be undone; resolves true when the user confirmed. */
/** @param {string} text */
export function confirmDeletion(text) {
	byId('confirm-dialog-text').textContent = text;
	return runFormDialog(/** @type {HTMLDialogElement} */ (byId('confirm-dialog')), async () => null);
}
