import { Buffer } from 'node:buffer';
import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { KnownBlock } from '@slack/types';
import { DISCORD_LIMITS, embedLength } from '../../../src/delivery/format/discord.js';
import { SLACK_LIMITS, type SlackWebhookPayload } from '../../../src/delivery/format/slack.js';
import { NTFY_LIMITS, type NtfyPublishBody } from '../../../src/delivery/format/ntfy.js';
import { GOTIFY_LIMITS, type GotifyMessageBody } from '../../../src/delivery/format/gotify.js';
import { TELEGRAM_LIMITS, type TelegramSendMessageBody } from '../../../src/delivery/format/telegram.js';
import { TEAMS_LIMITS, type TeamsWorkflowMessage } from '../../../src/delivery/format/teams.js';
import { GOOGLE_CHAT_LIMITS, type GoogleChatMessage } from '../../../src/delivery/format/google-chat.js';

/** Every way a Discord body breaks Discord's documented limits; [] when it keeps them all. */
export function discordViolations(body: RESTPostAPIWebhookWithTokenJSONBody): string[] {
	const problems: string[] = [];
	const over = (what: string, value: string | undefined, limit: number) => {
		if (value !== undefined && value.length > limit) problems.push(`${what}: ${value.length} > ${limit}`);
	};
	const embeds = body.embeds ?? [];
	if (body.content === undefined && embeds.length === 0) problems.push('neither content nor embeds');
	over('content', body.content, DISCORD_LIMITS.content);
	if (embeds.length > DISCORD_LIMITS.embeds) problems.push(`${embeds.length} embeds`);
	let total = 0;
	for (const embed of embeds) {
		over('title', embed.title, DISCORD_LIMITS.title);
		over('description', embed.description, DISCORD_LIMITS.description);
		over('footer', embed.footer?.text, DISCORD_LIMITS.footer);
		over('author name', embed.author?.name, DISCORD_LIMITS.authorName);
		if ((embed.fields?.length ?? 0) > DISCORD_LIMITS.fields) problems.push(`${embed.fields!.length} fields`);
		for (const field of embed.fields ?? []) {
			over('field name', field.name, DISCORD_LIMITS.fieldName);
			over('field value', field.value, DISCORD_LIMITS.fieldValue);
			if (field.name === '' || field.value === '') problems.push('an empty field name or value');
		}
		if (embed.description === '') problems.push('an empty description');
		total += embedLength(embed);
	}
	if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${DISCORD_LIMITS.embedsTotal}`);
	if (body.allowed_mentions?.parse?.length !== 0) problems.push('allowed_mentions.parse is not []');
	return problems;
}

/** Every way a Slack body breaks Slack's documented limits; [] when it keeps them all. */
export function slackViolations(body: SlackWebhookPayload): string[] {
	const problems: string[] = [];
	const over = (what: string, value: string, limit: number) => {
		if (value.length > limit) problems.push(`${what}: ${value.length} > ${limit}`);
		if (value.length === 0) problems.push(`${what}: empty`);
	};
	over('text', body.text, SLACK_LIMITS.text);
	if (body.blocks.length > SLACK_LIMITS.blocks) problems.push(`${body.blocks.length} blocks`);
	for (const block of body.blocks as KnownBlock[]) {
		if (block.type === 'header') over('header', block.text.text, SLACK_LIMITS.header);
		if (block.type === 'section') {
			if (block.text) over('section text', block.text.text, SLACK_LIMITS.sectionText);
			if ((block.fields?.length ?? 0) > SLACK_LIMITS.sectionFields) problems.push('too many section fields');
			for (const field of block.fields ?? []) over('section field', field.text, SLACK_LIMITS.sectionField);
			if (!block.text && !block.fields?.length) problems.push('a section with neither text nor fields');
		}
		if (block.type === 'context') {
			if (block.elements.length > SLACK_LIMITS.contextElements) problems.push('too many context elements');
			for (const element of block.elements) if ('text' in element && typeof element.text === 'string') over('context text', element.text, SLACK_LIMITS.contextText);
		}
	}
	return problems;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** As ntfy reads a JSON publish: a topic, strings where strings go, the message within its byte limit. */
export function ntfyViolations(body: NtfyPublishBody): string[] {
	const problems: string[] = [];
	if (!isString(body.topic) || !/^[-_A-Za-z0-9]{1,64}$/.test(body.topic)) problems.push(`topic ${JSON.stringify(body.topic)} is not an ntfy topic`);
	for (const key of ['title', 'message', 'click'] as const) if (!isString(body[key])) problems.push(`${key} is not a string`);
	if (isString(body.message) && Buffer.byteLength(body.message) > NTFY_LIMITS.messageBytes) problems.push(`message: ${Buffer.byteLength(body.message)} bytes > ${NTFY_LIMITS.messageBytes}`);
	if (isString(body.message) && body.message.trim() === '') problems.push('an empty message');
	if (isString(body.title) && body.title.length > NTFY_LIMITS.title) problems.push(`title: ${body.title.length} > ${NTFY_LIMITS.title}`);
	if (isString(body.click) && !/^https?:\/\//.test(body.click)) problems.push('click is not an http(s) URL');
	if (body.markdown !== false) problems.push('markdown is not off');
	return problems;
}

/** As Gotify's message API reads a body: a non-empty message, a title, extras as objects. */
export function gotifyViolations(body: GotifyMessageBody): string[] {
	const problems: string[] = [];
	if (!isString(body.message) || body.message === '') problems.push('message is missing or empty');
	else if (body.message.length > GOTIFY_LIMITS.message) problems.push(`message: ${body.message.length} > ${GOTIFY_LIMITS.message}`);
	if (!isString(body.title) || body.title.length > GOTIFY_LIMITS.title) problems.push('title is missing or too long');
	if ('priority' in body) problems.push('priority is set');
	if (body.extras?.['client::display']?.contentType !== 'text/plain') problems.push('not plain text');
	if (!isString(body.extras?.['client::notification']?.click?.url)) problems.push('no click URL');
	return problems;
}

/** As Telegram's sendMessage reads a body: a chat id, HTML parse mode with balanced known tags, 1..4096 characters. */
export function telegramViolations(body: TelegramSendMessageBody): string[] {
	const problems: string[] = [];
	if (!(isString(body.chat_id) || typeof body.chat_id === 'number') || body.chat_id === '') problems.push('chat_id is missing');
	if (!isString(body.text) || body.text.length === 0) problems.push('text is missing or empty');
	else if (body.text.length > TELEGRAM_LIMITS.text) problems.push(`text: ${body.text.length} > ${TELEGRAM_LIMITS.text}`);
	if (body.parse_mode !== 'HTML') problems.push('parse_mode is not HTML');
	if (isString(body.text)) {
		// Telegram's HTML: only these tags, every one closed, and no bare `<`, `>` or `&` outside tags and entities.
		const stack: string[] = [];
		for (const match of body.text.matchAll(/<(\/?)([a-z-]+)(?: href="[^"<>]*")?>|[<>]|&(?!(?:amp|lt|gt|quot);)/g)) {
			const [whole, closing, tag] = match;
			if (tag === undefined) problems.push(`a bare ${whole}`);
			else if (!['b', 'i', 'a', 'tg-spoiler'].includes(tag)) problems.push(`tag <${tag}>`);
			else if (closing) {
				if (stack.pop() !== tag) problems.push(`</${tag}> closes nothing open`);
			} else stack.push(tag);
		}
		if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
	}
	return problems;
}

/** As a Teams workflow reads a message: one Adaptive Card attachment, within the message size, every element typed. */
export function teamsViolations(body: TeamsWorkflowMessage): string[] {
	const problems: string[] = [];
	const bytes = Buffer.byteLength(JSON.stringify(body));
	if (bytes > TEAMS_LIMITS.messageBytes) problems.push(`message: ${bytes} bytes > ${TEAMS_LIMITS.messageBytes}`);
	if (body.type !== 'message') problems.push('type is not message');
	if (body.attachments?.length !== 1) problems.push('not exactly one attachment');
	const [attachment] = body.attachments ?? [];
	if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') problems.push('not an Adaptive Card');
	const card = attachment?.content;
	if (card?.type !== 'AdaptiveCard' || !isString(card.version)) problems.push('the card has no type or version');
	const ids = new Set<string>();
	const walk = (element: any) => {
		if (!element || !isString(element.type)) problems.push('an element without a type');
		if (isString(element?.id)) ids.add(element.id);
		if (element?.type === 'TextRun' && (!isString(element.text) || element.text === '')) problems.push('an empty TextRun');
		for (const child of [...(element?.body ?? []), ...(element?.items ?? []), ...(element?.inlines ?? [])]) walk(child);
	};
	if (card) walk(card);
	const targets = JSON.stringify(card ?? {}).match(/"targetElements":\["([^"]+)"\]/g) ?? [];
	for (const target of targets) if (!ids.has(target.slice('"targetElements":["'.length, -2))) problems.push(`${target} names no element`);
	if (JSON.stringify(card ?? {}).includes('"entities"')) problems.push('the card mentions someone');
	return problems;
}

/** As Google Chat reads a webhook message: cards v2 with a header, non-empty paragraphs, within 32,000 bytes. */
export function googleChatViolations(body: GoogleChatMessage): string[] {
	const problems: string[] = [];
	const bytes = Buffer.byteLength(JSON.stringify(body));
	if (bytes > GOOGLE_CHAT_LIMITS.messageBytes) problems.push(`message: ${bytes} bytes > ${GOOGLE_CHAT_LIMITS.messageBytes}`);
	if ('text' in body) problems.push('a text field, read for mentions');
	if (!isString(body.fallbackText) || body.fallbackText === '') problems.push('no fallbackText');
	if (body.cardsV2?.length !== 1 || !isString(body.cardsV2[0]?.cardId)) problems.push('not exactly one card with an id');
	const card = body.cardsV2?.[0]?.card;
	if (!isString(card?.header?.title) || card.header.title === '' || card.header.title.length > GOOGLE_CHAT_LIMITS.header) problems.push('a missing or long header title');
	for (const section of card?.sections ?? []) {
		if (section.widgets.length === 0) problems.push('a section without widgets');
		if (section.collapsible && !(section.uncollapsibleWidgetsCount! >= 1 && section.uncollapsibleWidgetsCount! < section.widgets.length)) problems.push('a collapsible section that hides nothing or everything');
		for (const widget of section.widgets) {
			if ('textParagraph' in widget && (!isString(widget.textParagraph.text) || widget.textParagraph.text === '')) problems.push('an empty paragraph');
			if ('textParagraph' in widget && /<(?!\/?(b|i|u|s|br|font|a)\b)/.test(widget.textParagraph.text)) problems.push(`markup Google Chat does not take: ${widget.textParagraph.text.slice(0, 80)}`);
		}
	}
	return problems;
}
