/** Where an ntfy message is published: the server's root URL (JSON publishing is only taken there) and the topic. */
export interface NtfyTarget {
	publishUrl: string;
	topic: string;
}

/**
 * The target from a webhook URL of the form `https://ntfy.sh/<topic>` (a server's topic URL, as ntfy shows it): the
 * JSON goes to the URL with the topic taken off the path (its query, such as `?auth=`, kept), the topic into the body.
 * A URL that names no topic gives an empty one: ntfy answers 400 and the delivery fails with its answer.
 */
export function ntfyTargetOf(url: string): NtfyTarget {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return { publishUrl: url, topic: '' };
	}
	const segments = parsed.pathname.split('/');
	const topic = decodeURIComponent(segments.pop() ?? '');
	parsed.pathname = `${segments.join('/')}/`;
	return { publishUrl: parsed.toString(), topic };
}
