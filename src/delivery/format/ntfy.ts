import type { EventView } from './event-view.js';
import { plainMessage } from './plain-text.js';
import { fitText, utf8Bytes } from './text-units.js';

/** ntfy's limits: the message in bytes (a longer one is turned into an attachment); the title has none published. */
export const NTFY_LIMITS = {
	/** ntfy.sh's and the server's default `message-size-limit`. */
	messageBytes: 4096,
	/** Ours, so a title stays one notification line or two; ntfy publishes no limit. */
	title: 256,
} as const;

/** The JSON ntfy takes when published to its root URL (https://docs.ntfy.sh/publish/#publish-as-json). */
export interface NtfyPublishBody {
	/** The topic the webhook URL names (`https://ntfy.sh/<topic>`). */
	topic: string;
	title: string;
	message: string;
	/** Opened when the notification is tapped. */
	click: string;
	/** Off: the text is sent as plain text, never read as Markdown. */
	markdown: false;
}

/** An ntfy publish body for one event in `topic`: plain text, the event's page opened on tap. */
export function renderNtfy(view: EventView, topic: string): NtfyPublishBody {
	return {
		topic,
		title: fitText(view.title, NTFY_LIMITS.title),
		message: plainMessage(view, NTFY_LIMITS.messageBytes, utf8Bytes),
		click: view.url,
		markdown: false,
	};
}
