import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import { eventView, hostOf, type EventView } from './event-view.js';
import { renderDiscord } from './discord.js';
import { renderSlack, type SlackWebhookPayload } from './slack.js';
import { renderNtfy, type NtfyPublishBody } from './ntfy.js';
import { renderGotify, type GotifyMessageBody } from './gotify.js';
import { renderTeams, type TeamsWorkflowMessage } from './teams.js';
import { renderGoogleChat, type GoogleChatMessage } from './google-chat.js';
import { renderTelegram, type TelegramSendMessageBody, type TelegramTarget } from './telegram.js';
import type { RenderContext, WebhookEvent } from './webhook-event.js';

/** The Discord Execute Webhook body of one event. */
export function discordBodyOf(event: WebhookEvent, context: RenderContext): RESTPostAPIWebhookWithTokenJSONBody {
	return renderDiscord(viewOf(event, context));
}

/** The Slack incoming webhook body of one event. */
export function slackBodyOf(event: WebhookEvent, context: RenderContext): SlackWebhookPayload {
	return renderSlack(viewOf(event, context));
}

/** The ntfy JSON publish body of one event, for `topic`. */
export function ntfyBodyOf(event: WebhookEvent, context: RenderContext, topic: string): NtfyPublishBody {
	return renderNtfy(viewOf(event, context), topic);
}

/** The Gotify message of one event. */
export function gotifyBodyOf(event: WebhookEvent, context: RenderContext): GotifyMessageBody {
	return renderGotify(viewOf(event, context));
}

/** The Microsoft Teams workflow message (an Adaptive Card) of one event. */
export function teamsBodyOf(event: WebhookEvent, context: RenderContext): TeamsWorkflowMessage {
	return renderTeams(viewOf(event, context));
}

/** The Google Chat incoming webhook message (a card) of one event. */
export function googleChatBodyOf(event: WebhookEvent, context: RenderContext): GoogleChatMessage {
	return renderGoogleChat(viewOf(event, context));
}

/** The Telegram sendMessage body of one event, for `target`. */
export function telegramBodyOf(event: WebhookEvent, context: RenderContext, target: TelegramTarget): TelegramSendMessageBody {
	return renderTelegram(viewOf(event, context), target);
}

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
