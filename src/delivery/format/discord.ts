import type { APIEmbed, APIEmbedField, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { EventView, UserText } from './event-view.js';
import { fitText, isUrlUnit } from './text-units.js';

/** Discord's message limits (Execute Webhook, embed object), in characters. */
export const DISCORD_LIMITS = {
	content: 2000,
	embeds: 10,
	title: 256,
	description: 4096,
	fields: 25,
	fieldName: 256,
	fieldValue: 1024,
	footer: 2048,
	authorName: 256,
	/** Title, description, field names and values, footer and author name of all embeds together. */
	embedsTotal: 6000,
} as const;

// Characters Discord's markdown gives a meaning to; a backslash before any of them shows it as itself.
const MARKDOWN = /[\\*_~`|<>#[\]-]/g;

/**
 * User text made inert for Discord's markdown: every character that could start bold, italics, strike-through, code,
 * a spoiler (`||`, which would end the spoiler a CW hides the text behind), a heading, a list, a quote, a masked link
 * (`[label](url)`: its brackets) or a `<@id>` mention gets a backslash, which Discord hides. URLs are left as they are, so they stay links.
 */
export function escapeDiscordMarkdown(unit: string): string {
	return isUrlUnit(unit) ? unit : unit.replace(MARKDOWN, '\\$&');
}

/**
 * A Discord Execute Webhook body for one event: one embed, and `allowed_mentions: { parse: [] }` so nothing in it pings
 * anyone (`@everyone`, `@here`, a role or user id in a note is just text).
 */
export function renderDiscord(view: EventView): RESTPostAPIWebhookWithTokenJSONBody {
	const embed: APIEmbed = {
		title: fitText(view.title, DISCORD_LIMITS.title),
		url: view.url,
		color: view.color,
		footer: { text: fitText(view.footer, DISCORD_LIMITS.footer) },
		timestamp: view.timestamp,
	};
	if (view.actor) {
		embed.author = { name: fitText(`${view.actor.name} (${view.actor.acct})`, DISCORD_LIMITS.authorName), url: view.actor.url };
		// Discord refuses the whole message over an icon URL it cannot fetch; Misskey's avatars are http(s), but a host may differ.
		if (view.actor.avatarUrl && /^https?:\/\//.test(view.actor.avatarUrl)) embed.author.icon_url = view.actor.avatarUrl;
	}
	const fields: APIEmbedField[] = view.fields.slice(0, DISCORD_LIMITS.fields).map((field) => ({
		name: fitText(field.name, DISCORD_LIMITS.fieldName),
		value: fieldValue(field.value, field.url),
		inline: field.value.length <= 40,
	}));
	if (fields.length > 0) embed.fields = fields;
	// Long field values (a moderation note, a receiver URL) must not crowd out the text: the last fields go first.
	while (embed.fields && embedLength(embed) > DISCORD_LIMITS.embedsTotal - DISCORD_RESERVED_FOR_TEXT) {
		embed.fields.pop();
		if (embed.fields.length === 0) delete embed.fields;
	}
	// The description gets what the other parts leave of the 6,000 characters all embeds may hold together.
	const budget = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedsTotal - embedLength(embed));
	const description = view.text ? describeText(view.text, budget) : '';
	if (description !== '') embed.description = description;
	return { embeds: [embed], allowed_mentions: { parse: [] } };
}

/** The characters of an embed that count toward Discord's 6,000. */
export function embedLength(embed: APIEmbed): number {
	return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0)
		+ (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

// A value that names a note or user links to it: `[label](url)`, the label escaped so it cannot close the link.
function fieldValue(value: string, url: string | undefined): string {
	if (url === undefined) return fitText(value, DISCORD_LIMITS.fieldValue, escapeDiscordMarkdown) || '-';
	const link = `](<${url}>)`;
	const label = fitText(value, DISCORD_LIMITS.fieldValue - link.length - 1, escapeDiscordMarkdown) || '-';
	return `[${label}${link}`;
}

// Room kept for the description when fields are long.
const DISCORD_RESERVED_FOR_TEXT = 1000;

const CW_PREFIX = '**CW:** ';

/**
 * A text within `limit`: as is, or, behind a CW, the CW in bold and the text in a spoiler (`||…||`) a reader clicks to
 * reveal. The CW gets at most half the room; the spoiled text what is left.
 */
function describeText(text: UserText, limit: number): string {
	if (text.cw === null) return fitText(text.text, limit, escapeDiscordMarkdown);
	const cw = CW_PREFIX + fitText(text.cw, Math.floor(limit / 2) - CW_PREFIX.length, escapeDiscordMarkdown);
	if (text.text === '') return cw;
	const spoilerMarks = '\n||||'.length;
	const hidden = fitText(text.text, limit - cw.length - spoilerMarks, escapeDiscordMarkdown);
	return hidden === '' ? cw : `${cw}\n||${hidden}||`;
}
