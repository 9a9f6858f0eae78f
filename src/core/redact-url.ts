/**
 * A webhook URL as a moderator may see it: the scheme and host (with its port), then a marker in place of the rest.
 *
 * Many receivers put their credential in the URL: Discord and Slack in the path, Telegram the bot token in the path,
 * Microsoft Teams workflows and Google Chat a signature or key in the query, Gotify its app token in the query, ntfy
 * the topic (which is its password) in the path. The module cannot tell a secret path from a plain one, so every user
 * webhook URL is shown this way outside its owner's own views: the host says which receiver it is, and nothing past it
 * is ever shown. User info (`user:password@`) is dropped with the rest.
 */
export const REDACTED_URL_MARKER = '(redacted)';

export function redactWebhookUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		// Not a URL the module would deliver to: nothing of it is shown.
		return REDACTED_URL_MARKER;
	}
	return `${parsed.protocol}//${parsed.host}/${REDACTED_URL_MARKER}`;
}
