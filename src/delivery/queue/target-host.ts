/** The gate's key of a target URL: host with port as written; an unparsable URL is its own key (it fails fast anyway). */
export function targetHostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
