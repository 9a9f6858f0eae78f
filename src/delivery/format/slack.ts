import type { ContextBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { EventView, UserText } from './event-view.js';
import { fitText } from './text-units.js';

/** Slack's message limits (incoming webhooks, Block Kit), in characters. */
export const SLACK_LIMITS = {
	/** The notification and fallback text; Slack truncates a message text past 40,000. */
	text: 40000,
	blocks: 50,
	header: 150,
	sectionText: 3000,
	sectionFields: 10,
	sectionField: 2000,
	contextElements: 10,
	contextText: 3000,
} as const;

/** The JSON an incoming webhook takes: the fallback `text`, shown in notifications, and the Block Kit blocks. */
export interface SlackWebhookPayload {
	text: string;
	blocks: KnownBlock[];
	/** Off: a note's links would otherwise each unfurl into a preview below the message. */
	unfurl_links: boolean;
	unfurl_media: boolean;
}

/**
 * User text made literal for Slack: Slack's own escaping of `&`, `<` and `>`, so no `<!everyone>`, `<@U…>` or
 * `<url|label>` can be written by a note. Slack has no escape for `*`, `_`, `~` and `` ` ``: they may style a word, but
 * cannot leave the block they are in.
 */
export function escapeSlack(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A link as Slack writes it; `|` cannot end a label early (the first one separates), but `>` would, so it is escaped.
function slackLink(url: string, label: string): string {
	return `<${escapeSlack(url)}|${label}>`;
}

/**
 * A Slack incoming webhook body for one event: a header, who did it, the text, the fields and a footer with the link.
 * Slack has no spoilers: text behind a CW is left out, and the CW is shown with a link to read the note on the server.
 */
export function renderSlack(view: EventView): SlackWebhookPayload {
	const blocks: KnownBlock[] = [];
	const header: HeaderBlock = { type: 'header', text: { type: 'plain_text', text: fitText(view.title, SLACK_LIMITS.header), emoji: true } };
	blocks.push(header);
	if (view.actor) {
		const who = fitText(`${view.actor.name} (${view.actor.acct})`, SLACK_LIMITS.contextText - view.actor.url.length - 4, escapeSlack);
		const actor: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: slackLink(view.actor.url, who) }] };
		blocks.push(actor);
	}
	const text = view.text ? describeText(view.text, view.url) : '';
	if (text !== '') {
		const section: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text } };
		blocks.push(section);
	}
	const fields: MrkdwnElement[] = view.fields.slice(0, SLACK_LIMITS.sectionFields).map((field) => ({ type: 'mrkdwn', text: fieldText(field.name, field.value, field.url) }));
	if (fields.length > 0) {
		const section: SectionBlock = { type: 'section', fields };
		blocks.push(section);
	}
	const footer: ContextBlock = {
		type: 'context',
		elements: [{ type: 'mrkdwn', text: `${slackLink(view.url, 'Open')} · ${fitText(view.footer, 1000, escapeSlack)} · ${slackDate(view.timestamp)}` }],
	};
	blocks.push(footer);
	return { text: fitText(view.title, SLACK_LIMITS.text, escapeSlack), blocks, unfurl_links: false, unfurl_media: false };
}

// Slack shows the time in each reader's own time zone; the ISO time is the fallback of clients that cannot.
function slackDate(iso: string): string {
	return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

function fieldText(name: string, value: string, url: string | undefined): string {
	const label = `*${fitText(name, 200, escapeSlack)}*\n`;
	if (url === undefined) return label + (fitText(value, SLACK_LIMITS.sectionField - label.length, escapeSlack) || '-');
	const linkMarks = `<${escapeSlack(url)}|>`.length;
	return label + slackLink(url, fitText(value, SLACK_LIMITS.sectionField - label.length - linkMarks, escapeSlack) || '-');
}

/**
 * A text for one section: as is, or, behind a CW, the CW alone and a pointer to the note, since Slack cannot hide text
 * a reader reveals on purpose.
 */
function describeText(text: UserText, url: string): string {
	if (text.cw === null) return fitText(text.text, SLACK_LIMITS.sectionText, escapeSlack);
	const hiddenNote = text.text === '' ? '' : `\n_The text is behind the CW: ${slackLink(url, 'show it on the server')}._`;
	const cw = fitText(text.cw, SLACK_LIMITS.sectionText - '*CW:* '.length - hiddenNote.length, escapeSlack);
	return `*CW:* ${cw}${hiddenNote}`;
}
