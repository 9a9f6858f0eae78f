import type { EventView } from './event-view.js';
import { plainMessage } from './plain-text.js';
import { fitText } from './text-units.js';

/** Gotify publishes no size limits; these are ours, so a message reads as a notification and not as a document. */
export const GOTIFY_LIMITS = {
	title: 256,
	message: 4096,
} as const;

/**
 * The JSON Gotify's message API takes (`POST /message?token=<app token>`). No `priority`: the application's own
 * default, which its owner sets in Gotify, decides how loudly it notifies.
 */
export interface GotifyMessageBody {
	title: string;
	message: string;
	extras: {
		/** Plain text: Gotify's clients would otherwise render Markdown when asked to. */
		'client::display': { contentType: 'text/plain' };
		/** Opened when the notification is tapped (Gotify's Android client). */
		'client::notification': { click: { url: string } };
	};
}

/** A Gotify message for one event: plain text, the event's page opened on tap. */
export function renderGotify(view: EventView): GotifyMessageBody {
	return {
		title: fitText(view.title, GOTIFY_LIMITS.title),
		message: plainMessage(view, GOTIFY_LIMITS.message, (part) => part.length),
		extras: {
			'client::display': { contentType: 'text/plain' },
			'client::notification': { click: { url: view.url } },
		},
	};
}
