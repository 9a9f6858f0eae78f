// `@name` or `@name@host`, not inside a word or an e-mail address (the shape MFM recognises as a mention).
const MENTION_PATTERN = /(?<![a-zA-Z0-9_@.])@([a-zA-Z0-9_]+)(?:@([a-zA-Z0-9.-]+(?::\d+)?))?/g;

/**
 * Usernames of the local users a note's text mentions, lower-cased and deduplicated in order of appearance.
 * `@name@<this server's host>` counts as local; mentions of other hosts are skipped (this host does not federate).
 */
export function extractLocalMentions(text: string | null, serverHost: string): string[] {
	if (!text) return [];
	const names = new Set<string>();
	for (const match of text.matchAll(MENTION_PATTERN)) {
		const [, name, host] = match;
		if (name === undefined) continue;
		if (host !== undefined && host.toLowerCase() !== serverHost.toLowerCase()) continue;
		names.add(name.toLowerCase());
	}
	return [...names];
}
