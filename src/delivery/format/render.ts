import { eventView, hostOf, type EventView } from './event-view.js';
import { renderDiscord } from './discord.js';
import { renderSlack } from './slack.js';
import { renderNtfy } from './ntfy.js';
import { renderGotify } from './gotify.js';
import { renderTeams } from './teams.js';
import { renderGoogleChat } from './google-chat.js';
import { renderTelegram } from './telegram.js';
import type { RenderContext, WebhookEvent } from './webhook-event.js';

/**
 * A format's body of one event: its renderer given the event's view, and whatever else the format takes (a topic, a
 * chat).
 */
function bodyOf<Extra extends unknown[], Body>(render: (view: EventView, ...extra: Extra) => Body): (event: WebhookEvent, context: RenderContext, ...extra: Extra) => Body {
	return (event, context, ...extra) => render(viewOf(event, context), ...extra);
}

/** The Discord Execute Webhook body of one event. */
export const discordBodyOf = bodyOf(renderDiscord);

/** The Slack incoming webhook body of one event. */
export const slackBodyOf = bodyOf(renderSlack);

/** The ntfy JSON publish body of one event, for a topic. */
export const ntfyBodyOf = bodyOf(renderNtfy);

/** The Gotify message of one event. */
export const gotifyBodyOf = bodyOf(renderGotify);

/** The Microsoft Teams workflow message (an Adaptive Card) of one event. */
export const teamsBodyOf = bodyOf(renderTeams);

/** The Google Chat incoming webhook message (a card) of one event. */
export const googleChatBodyOf = bodyOf(renderGoogleChat);

/** The Telegram sendMessage body of one event, for a target chat. */
export const telegramBodyOf = bodyOf(renderTelegram);

/**
 * The view of an event, or, when its body is not shaped as its schema says (a host that packs differently), a plain
 * notice naming the event: a chat message is still sent, and the delivery does not fail on our side.
 */
function viewOf(event: WebhookEvent, context: RenderContext): EventView {
	try {
		return eventView(event, context);
	} catch {
		const host = hostOf(context.serverUrl);
		return {
			title: `${event.type} event on ${host}`,
			url: context.serverUrl,
			fields: [],
			color: 0x64748b,
			footer: `${event.type} · ${host}`,
			timestamp: new Date(context.createdAt).toISOString(),
		};
	}
}
