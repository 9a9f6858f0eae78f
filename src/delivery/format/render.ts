import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import { eventView, hostOf, type EventView } from './event-view.js';
import { renderDiscord } from './discord.js';
import { renderSlack, type SlackWebhookPayload } from './slack.js';
import type { RenderContext, WebhookEvent } from './webhook-event.js';

/** The Discord Execute Webhook body of one event. */
export function discordBodyOf(event: WebhookEvent, context: RenderContext): RESTPostAPIWebhookWithTokenJSONBody {
	return renderDiscord(viewOf(event, context));
}

/** The Slack incoming webhook body of one event. */
export function slackBodyOf(event: WebhookEvent, context: RenderContext): SlackWebhookPayload {
	return renderSlack(viewOf(event, context));
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
