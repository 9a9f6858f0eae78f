// Building the page with DOM APIs only: every string becomes a text node or an attribute value, never markup,
// so a webhook named `<img src=x onerror=alert(1)>` shows as those characters.

import { describeApiError } from './api-client.js';

/**
 * The button a click handler was attached to.
 * @param {Event} event
 * @returns {HTMLButtonElement}
 */
export function clickedButton(event) {
	return /** @type {HTMLButtonElement} */ (event.currentTarget);
}

/**
 * Creates an element. `props`: `class`, `text`, `on<Event>` handlers, booleans toggle attributes, other values are
 * attributes. Children: nodes, strings (as text), or null/false (skipped).
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | null | false | undefined)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
	const element = document.createElement(tag);
	for (const [key, value] of Object.entries(props)) {
		if (value === undefined || value === null) continue;
		if (key === 'class') element.className = String(value);
		else if (key === 'text') element.textContent = String(value);
		else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
		else if (typeof value === 'boolean') element.toggleAttribute(key, value);
		else element.setAttribute(key, String(value));
	}
	for (const child of children) {
		if (child === null || child === undefined || child === false) continue;
		element.append(typeof child === 'string' ? document.createTextNode(child) : child);
	}
	return element;
}

/** The element with this id; a missing one is a bug in index.html, reported loudly. */
/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
	const element = document.getElementById(id);
	if (element === null) throw new Error(`the page has no #${id}`);
	return element;
}

/** Shows an API error (`CODE: message`) in an alert element, or hides it when `error` is null. */
/**
 * @param {HTMLElement} element
 * @param {import('./api-client.js').ApiFailure | null} error
 */
export function showError(element, error) {
	element.textContent = error === null ? '' : describeApiError(error);
	element.hidden = error === null;
}

/** Disables a button while `work` runs, so a double click does not send twice. */
/**
 * @template T
 * @param {HTMLButtonElement} button
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function whileBusy(button, work) {
	button.disabled = true;
	button.setAttribute('aria-busy', 'true');
	try {
		return await work();
	} finally {
		button.disabled = false;
		button.removeAttribute('aria-busy');
	}
}

/**
 * How a page reports to its user, in its #page-error alert and #page-notice status: an error replaces the notice, a
 * notice clears the error.
 * @returns {import('./api-client.js').PageReport}
 */
export function pageReport() {
	const pageError = byId('page-error');
	const pageNotice = byId('page-notice');
	return {
		error(error) {
			pageNotice.textContent = '';
			showError(pageError, error);
		},
		notice(text) {
			showError(pageError, null);
			pageNotice.textContent = text;
		},
	};
}
