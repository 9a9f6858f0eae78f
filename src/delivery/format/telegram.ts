import type { Opts } from '@grammyjs/types';
import type { EventView, UserText, ViewField } from './event-view.js';
import { fitText, isUrlUnit } from './text-units.js';

/** Telegram's message limit (Bot API sendMessage): 1-4096 characters of text. */
export const TELEGRAM_LIMITS = {
	/** Counted here on the HTML sent, tags and escapes included: never less than what Telegram counts after parsing. */
	text: 4096,
} as const;

/** The sendMessage parameters this format sends: Telegram's own type, with what the module always sets. */
export type TelegramSendMessageBody = Opts<never>['sendMessage'] & { parse_mode: 'HTML'; link_preview_options: { is_disabled: true } };

/** Where a message goes: the chat (and forum topic) the webhook URL names. */
export interface TelegramTarget {
	chatId: string;
	messageThreadId?: number;
}

/**
 * The target from a webhook URL of the form `https://api.telegram.org/bot<token>/sendMessage?chat_id=<id>` (with
 * `&message_thread_id=<n>` for a forum topic). A URL without `chat_id` gives an empty one: Telegram answers 400 and
 * the delivery fails with its answer, as any receiver's refusal.
 */
export function telegramTargetOf(url: string): TelegramTarget {
	let query: URLSearchParams;
	try {
		query = new URL(url).searchParams;
	} catch {
		return { chatId: '' };
	}
	const thread = Number(query.get('message_thread_id'));
	return { chatId: query.get('chat_id') ?? '', ...(Number.isSafeInteger(thread) && thread > 0 ? { messageThreadId: thread } : {}) };
}

// A word joiner after `@`: `@alice` in a note would otherwise mention (and notify) a chat member named alice.
const MENTION_BREAK = '@\u2060';

/**
 * User text made inert for Telegram's HTML parse mode: `&`, `<` and `>` as entities (so no tag, link or spoiler can
 * be written by a note), and every `@` followed by an invisible word joiner, so no `@username` mentions anyone. URLs
 * keep their `@` and get only the entity escapes, so they stay links.
 */
export function escapeTelegramHtml(unit: string): string {
	const escaped = unit.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return isUrlUnit(unit) ? escaped : escaped.replace(/@/g, MENTION_BREAK);
}

// Room kept for the text when fields are long.
const RESERVED_FOR_TEXT = 1000;
const FIELD_VALUE = 1024;

/**
 * A sendMessage body for one event: the title in bold linking to the event, the text (behind a CW: the CW in bold and
 * the text in a spoiler a reader taps to reveal, as in Discord), the fields and a footer; link previews off.
 */
export function renderTelegram(view: EventView, target: TelegramTarget): TelegramSendMessageBody {
	const head = `<b><a href="${escapeTelegramHtml(view.url)}">${fitText(view.title, 256, escapeTelegramHtml)}</a></b>`;
	const actor = view.actor ? `<a href="${escapeTelegramHtml(view.actor.url)}">${fitText(`${view.actor.name} (${view.actor.acct})`, 256, escapeTelegramHtml)}</a>` : '';
	const footer = `<i>${fitText(view.footer, 256, escapeTelegramHtml)} · ${view.timestamp}</i>`;
	const fields = view.fields.map(fieldLine);
	const withoutText = () => [head, actor, fields.join('\n'), footer].filter((part) => part !== '').join('\n\n');
	while (fields.length > 0 && withoutText().length > TELEGRAM_LIMITS.text - RESERVED_FOR_TEXT) fields.pop();
	const room = TELEGRAM_LIMITS.text - withoutText().length - '\n\n'.length;
	const text = view.text ? describeText(view.text, room) : '';
	const parts = [head, actor, text, fields.join('\n'), footer].filter((part) => part !== '');
	return {
		chat_id: target.chatId,
		...(target.messageThreadId === undefined ? {} : { message_thread_id: target.messageThreadId }),
		text: parts.join('\n\n'),
		parse_mode: 'HTML',
		link_preview_options: { is_disabled: true },
	};
}

function fieldLine(field: ViewField): string {
	const name = `<b>${fitText(field.name, 256, escapeTelegramHtml)}:</b> `;
	const value = fitText(field.value, FIELD_VALUE, escapeTelegramHtml) || '-';
	return field.url === undefined ? name + value : `${name}<a href="${escapeTelegramHtml(field.url)}">${value}</a>`;
}

const CW_PREFIX = '<b>CW:</b> ';
const SPOILER_MARKS = '\n<tg-spoiler></tg-spoiler>'.length;

/** A text within `limit`: as is, or the CW in bold and the text in a spoiler; the CW gets at most half the room. */
function describeText(text: UserText, limit: number): string {
	if (text.cw === null) return fitText(text.text, limit, escapeTelegramHtml);
	const cw = CW_PREFIX + fitText(text.cw, Math.floor(limit / 2) - CW_PREFIX.length, escapeTelegramHtml);
	if (text.text === '') return cw;
	const hidden = fitText(text.text, limit - cw.length - SPOILER_MARKS, escapeTelegramHtml);
	return hidden === '' ? cw : `${cw}\n<tg-spoiler>${hidden}</tg-spoiler>`;
}
