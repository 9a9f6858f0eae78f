/**
 * The body formats a webhook can be delivered in: `misskey` is Misskey's JSON envelope (the default), `discord` and
 * `slack` a message those services' incoming webhooks accept. The renderers are in `delivery/format/`.
 */
export const PAYLOAD_FORMATS = ['misskey', 'discord', 'slack'] as const;

export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** Whether a value names a payload format, for params and stored columns. */
export function isPayloadFormat(value: unknown): value is PayloadFormat {
	return typeof value === 'string' && (PAYLOAD_FORMATS as readonly string[]).includes(value);
}
