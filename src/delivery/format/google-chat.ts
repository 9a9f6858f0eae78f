import { Buffer } from 'node:buffer';
import type { EventView, UserText, ViewField } from './event-view.js';
import { fitText, isUrlUnit, jsonStringBytes } from './text-units.js';

/** Google Chat's limits (Message resource, cards v2). */
export const GOOGLE_CHAT_LIMITS = {
	/** The whole message, text and cards, in bytes; counted here on the JSON sent. */
	messageBytes: 32_000,
	/** Ours, so a header stays one line or two; Google publishes no limit for it. */
	header: 200,
} as const;

/*
 * The part of Google Chat's Message resource this format sends, as the Chat API defines it (the REST reference; the
 * test suite checks these types against Google's own, @googleapis/chat's chat_v1.Schema$Message).
 */
export interface GoogleChatMessage {
	/** Plain text for notifications and clients that cannot show cards; never read for mentions or markup. */
	fallbackText: string;
	cardsV2: Array<{ cardId: string; card: GoogleChatCard }>;
}

export interface GoogleChatCard {
	header: { title: string; subtitle?: string; imageUrl?: string; imageType?: 'CIRCLE' | 'SQUARE'; imageAltText?: string };
	sections: GoogleChatSection[];
}

export interface GoogleChatSection {
	header?: string;
	collapsible?: boolean;
	/** How many widgets stay visible while a collapsible section is collapsed. */
	uncollapsibleWidgetsCount?: number;
	widgets: GoogleChatWidget[];
}

export type GoogleChatWidget =
	| { textParagraph: { text: string } }
	| { buttonList: { buttons: Array<{ text: string; onClick: { openLink: { url: string } } }> } };

/**
 * User text made literal for a card's HTML-like text: `&`, `<` and `>` as entities, so no tag or link can be written
 * by a note, and a line break as `<br>`. Cards never mention anyone.
 */
export function escapeGoogleChatHtml(unit: string): string {
	const escaped = unit.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return isUrlUnit(unit) ? escaped : escaped.replace(/\r?\n/g, '<br>');
}

const FIELD_VALUE = 1024;
// Room kept for the text when fields are long, in bytes.
const RESERVED_FOR_TEXT = 4000;

/**
 * A Google Chat incoming webhook message for one event: one card (a header with who did it, the text, the fields, an
 * "Open" button). Behind a CW, the text is in a collapsed section a reader expands with "Show more", as Discord's
 * spoiler; the plain `text` field is not used, as it would read `<users/all>` in a display name as a mention.
 */
export function renderGoogleChat(view: EventView): GoogleChatMessage {
	const fields = view.fields.map(fieldWidget);
	const footer: GoogleChatWidget = { textParagraph: { text: `<font color="#6b7280">${fitText(view.footer, 256, escapeGoogleChatHtml)} · ${view.timestamp}</font>` } };
	const button: GoogleChatWidget = { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: view.url } } }] } };
	const message = (text: GoogleChatSection[]) => googleChatMessage(view, [...text, { widgets: [...fields, footer, button] }]);
	while (fields.length > 0 && bytesOf(message([])) > GOOGLE_CHAT_LIMITS.messageBytes - RESERVED_FOR_TEXT) fields.pop();
	const room = GOOGLE_CHAT_LIMITS.messageBytes - bytesOf(message([])) - 200;
	return message(view.text ? describeText(view.text, room) : []);
}

function googleChatMessage(view: EventView, sections: GoogleChatSection[]): GoogleChatMessage {
	const header: GoogleChatCard['header'] = { title: fitText(view.title, GOOGLE_CHAT_LIMITS.header) };
	if (view.actor) {
		header.subtitle = fitText(`${view.actor.name} (${view.actor.acct})`, GOOGLE_CHAT_LIMITS.header);
		if (view.actor.avatarUrl && /^https:\/\//.test(view.actor.avatarUrl)) {
			Object.assign(header, { imageUrl: view.actor.avatarUrl, imageType: 'CIRCLE', imageAltText: fitText(view.actor.name, GOOGLE_CHAT_LIMITS.header) });
		}
	}
	return { fallbackText: fitText(view.title, GOOGLE_CHAT_LIMITS.header), cardsV2: [{ cardId: 'misskey-event', card: { header, sections } }] };
}

function bytesOf(message: GoogleChatMessage): number {
	return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

function fieldWidget(field: ViewField): GoogleChatWidget {
	const name = `<b>${fitText(field.name, 256, escapeGoogleChatHtml)}</b><br>`;
	const value = fitText(field.value, FIELD_VALUE, escapeGoogleChatHtml) || '-';
	return { textParagraph: { text: field.url === undefined ? name + value : `${name}<a href="${escapeGoogleChatHtml(field.url)}">${value}</a>` } };
}

/** The text within `bytes` of JSON: as is, or the CW shown and the text collapsed behind it. */
function describeText(text: UserText, bytes: number): GoogleChatSection[] {
	const fit = (value: string, limit: number) => fitText(value, limit, escapeGoogleChatHtml, jsonStringBytes);
	if (text.cw === null) return text.text === '' ? [] : [{ widgets: [{ textParagraph: { text: fit(text.text, bytes) } }] }];
	const cw: GoogleChatWidget = { textParagraph: { text: `<b>CW:</b> ${fit(text.cw, Math.floor(bytes / 2))}` } };
	if (text.text === '') return [{ widgets: [cw] }];
	const hidden: GoogleChatWidget = { textParagraph: { text: fit(text.text, Math.floor(bytes / 2) - 100) } };
	return [{ collapsible: true, uncollapsibleWidgetsCount: 1, widgets: [cw, hidden] }];
}
