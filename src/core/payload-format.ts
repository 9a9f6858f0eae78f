/**
 * The body formats a webhook can be delivered in: `misskey` is Misskey's JSON envelope (the default); the others a
 * message that service's webhook URL accepts as it is (Discord, Slack, Microsoft Teams workflows, Google Chat, Telegram's
 * Bot API, ntfy, Gotify). The renderers are in `delivery/format/`.
 */
export const PAYLOAD_FORMATS = ['misskey', 'discord', 'slack', 'teams', 'googlechat', 'telegram', 'ntfy', 'gotify'] as const;

export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** Whether a value names a payload format, for params and stored columns. */
export function isPayloadFormat(value: unknown): value is PayloadFormat {
	return typeof value === 'string' && (PAYLOAD_FORMATS as readonly string[]).includes(value);
}
