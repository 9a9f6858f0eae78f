// The body formats a webhook can have, as both editors offer them, named in the page's language.

import { h } from './dom.js';
import { t } from './strings.js';

/** @type {Readonly<Record<string, import('./strings.js').StringKey>>} Each format, in the editors' order, and its name. */
const FORMAT_NAMES = { misskey: 'formatMisskey', discord: 'formatDiscord', slack: 'formatSlack', teams: 'formatTeams', googlechat: 'formatGooglechat', telegram: 'formatTelegram', ntfy: 'formatNtfy', gotify: 'formatGotify' };

/**
 * A webhook's body format in words; a server that predates formats sends none: Misskey's envelope.
 * @param {string | undefined} format
 * @returns {string}
 */
export function formatName(format) {
	return t(format !== undefined && Object.hasOwn(FORMAT_NAMES, format) ? /** @type {import('./strings.js').StringKey} */ (FORMAT_NAMES[format]) : 'formatMisskey');
}

/** The options of an editor's format select, one a format. */
export function formatOptions() {
	return Object.entries(FORMAT_NAMES).map(([value, key]) => h('option', { value, text: t(key) }));
}
