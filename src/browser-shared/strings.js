// Every string the user page and the shared delivery log show, in English and Japanese; a page follows the browser's
// preferred languages unless it fixes one (`<html data-language="en">`: the admin page, whose own text is English).
// The user page's index.html carries only ids: elements with data-text / data-label get their words from here at start.

import { en } from './strings-en.js';
import { ja } from './strings-ja.js';

/** @typedef {keyof typeof en} StringKey */

/** The page's fixed language, or the first of the browser's languages the page speaks; English otherwise. */
function pickLanguage() {
	const fixed = document.documentElement.dataset.language;
	if (fixed === 'ja' || fixed === 'en') return fixed;
	for (const tag of navigator.languages ?? [navigator.language]) {
		const primary = String(tag).toLowerCase().split('-')[0];
		if (primary === 'ja' || primary === 'en') return primary;
	}
	return 'en';
}

export const language = pickLanguage();
const strings = language === 'ja' ? ja : en;

/**
 * A string with `{name}` placeholders filled; values are text, never markup.
 * @param {StringKey} key
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function t(key, values = {}) {
	return strings[key].replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/**
 * A string by a key made at run time (an event type, a status); the key itself when there is none.
 * @param {string} key
 * @returns {string}
 */
export function tOr(key) {
	return Object.hasOwn(strings, key) ? strings[/** @type {StringKey} */ (key)] : key;
}

/** Fills `data-text` (text content) and `data-label` (aria-label) of the static page, and its language. */
export function applyStaticStrings() {
	document.documentElement.lang = language;
	for (const element of document.querySelectorAll('[data-text]')) element.textContent = tOr(/** @type {HTMLElement} */ (element).dataset.text ?? '');
	for (const element of document.querySelectorAll('[data-label]')) element.setAttribute('aria-label', tOr(/** @type {HTMLElement} */ (element).dataset.label ?? ''));
	document.title = t('pageTitle');
}
