import { Buffer } from 'node:buffer';
import type { CardElementArray, IAdaptiveCard, IOpenUrlAction, IRichTextBlock, ITextRun } from '@microsoft/teams.cards';
import type { EventView, UserText, ViewField } from './event-view.js';
import { fitText, jsonStringBytes } from './text-units.js';

/** Microsoft Teams' limits for a message a workflow posts. */
export const TEAMS_LIMITS = {
	/** "About 28 KB" for the whole message; counted here as UTF-8 bytes of the JSON sent. */
	messageBytes: 28_000,
	/** Adaptive Card schema version: 1.4 is what Teams renders on every client, ToggleVisibility included. */
	cardVersion: '1.4',
} as const;

/** The body a Teams workflow's "When a Teams webhook request is received" trigger takes: a message with one Adaptive Card. */
export interface TeamsWorkflowMessage {
	type: 'message';
	attachments: Array<{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: IAdaptiveCard }>;
}

const CW_TEXT_ID = 'cw-text';
// Room kept for the text when fields are long, in bytes.
const RESERVED_FOR_TEXT = 4000;
const FIELD_VALUE = 1024;

/**
 * A Teams workflow message for one event: one Adaptive Card. Every user-written string is a `TextRun` of a
 * `RichTextBlock`, which Teams never reads as Markdown, so nothing in a note styles, links or mentions: a mention in
 * Teams needs an entity in `msteams.entities`, which the card never has. Behind a CW, the text is hidden in a
 * container a "Show text" button reveals (as Discord's spoiler).
 */
export function renderTeams(view: EventView): TeamsWorkflowMessage {
	const head: CardElementArray = [rich([run(fitText(view.title, 256), { weight: 'Bolder', size: 'Medium' })])];
	if (view.actor) head.push(rich([run(fitText(`${view.actor.name} (${view.actor.acct})`, 256), { isSubtle: true, selectAction: openUrl(view.actor.url) })]));
	const fields = view.fields.map(fieldBlock);
	const footer = rich([run(`${fitText(view.footer, 256)} · ${view.timestamp}`, { isSubtle: true, size: 'Small' })]);
	const message = (text: CardElementArray) => teamsMessage(view, [...head, ...text, ...fields, footer]);
	while (fields.length > 0 && bytesOf(message([])) > TEAMS_LIMITS.messageBytes - RESERVED_FOR_TEXT) fields.pop();
	// The text gets what the rest leaves, counted as the JSON bytes it adds.
	const room = TEAMS_LIMITS.messageBytes - bytesOf(message([])) - 200;
	return message(view.text ? describeText(view.text, room) : []);
}

function teamsMessage(view: EventView, body: CardElementArray): TeamsWorkflowMessage {
	const card: IAdaptiveCard = {
		$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
		type: 'AdaptiveCard',
		version: TEAMS_LIMITS.cardVersion,
		msteams: { width: 'full' },
		body,
		actions: [openUrl(view.url, 'Open')],
	};
	return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

function bytesOf(message: TeamsWorkflowMessage): number {
	return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

function run(text: string, style: Omit<ITextRun, 'type' | 'text'> = {}): ITextRun {
	return { type: 'TextRun', text, ...style };
}

function rich(inlines: ITextRun[], extra: Omit<IRichTextBlock, 'type' | 'inlines'> = {}): IRichTextBlock {
	return { type: 'RichTextBlock', inlines, ...extra };
}

function openUrl(url: string, title?: string): IOpenUrlAction {
	return { type: 'Action.OpenUrl', url, ...(title === undefined ? {} : { title }) };
}

function fieldBlock(field: ViewField): IRichTextBlock {
	const value = fitText(field.value, FIELD_VALUE) || '-';
	return rich([
		run(`${fitText(field.name, 256)}: `, { weight: 'Bolder' }),
		run(value, field.url === undefined ? {} : { selectAction: openUrl(field.url), color: 'Accent' }),
	], { spacing: 'Small' });
}

/** The text within `bytes` of JSON: as is, or the CW shown and the text in a hidden container a button reveals. */
function describeText(text: UserText, bytes: number): CardElementArray {
	if (text.cw === null) return text.text === '' ? [] : [rich([run(fitText(text.text, bytes, undefined, jsonStringBytes))])];
	const cw = rich([run('CW: ', { weight: 'Bolder' }), run(fitText(text.cw, Math.floor(bytes / 2), undefined, jsonStringBytes))]);
	if (text.text === '') return [cw];
	const hidden = fitText(text.text, Math.floor(bytes / 2) - 300, undefined, jsonStringBytes);
	return [
		cw,
		{ type: 'Container', id: CW_TEXT_ID, isVisible: false, items: [rich([run(hidden)])] },
		{ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show text', targetElements: [CW_TEXT_ID] }] },
	];
}
