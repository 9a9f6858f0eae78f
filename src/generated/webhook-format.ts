// Generated from schemas/webhook-format.json by npm run generate; do not edit.
/**
 * Our addition, not in Misskey: the body of this webhook's deliveries. `misskey` (the default): Misskey's JSON envelope, byte for byte; `discord`: a Discord Execute Webhook message (an embed); `slack`: a Slack incoming webhook message (Block Kit); `teams`: a Microsoft Teams workflow message with an Adaptive Card; `googlechat`: a Google Chat incoming webhook message (a card); `telegram`: a Telegram Bot API sendMessage body (the URL names the bot and chat_id); `ntfy`: an ntfy JSON publish (the URL is the topic's); `gotify`: a Gotify message (the URL carries the app token). Headers and signatures are the same in every format; see docs/formats.md.
 */
export type WebhookFormat = 'misskey' | 'discord' | 'slack' | 'teams' | 'googlechat' | 'telegram' | 'ntfy' | 'gotify';
