import { ntfyTargetOf } from './ntfy-target.js';
import { telegramTargetOf } from './telegram.js';

/**
 * What a webhook URL lacks for its format to be delivered at all, in words, or null: Telegram's Bot API needs the chat
 * (`chat_id`) and ntfy the topic, and a URL without them would only earn a 400 on every delivery.
 */
export function missingFormatTarget(format: string | null | undefined, url: string): string | null {
	if (format === 'telegram' && telegramTargetOf(url).chatId === '') {
		return 'a Telegram URL names its chat: https://api.telegram.org/bot<token>/sendMessage?chat_id=<chat>';
	}
	if (format === 'ntfy' && ntfyTargetOf(url).topic === '') return 'an ntfy URL names its topic: https://ntfy.sh/<topic>';
	return null;
}
