/**
 * Request headers as web frameworks hand them over: a fetch `Headers` object, or a plain record such as Node's
 * `IncomingHttpHeaders` (any letter case; a repeated header as an array).
 */
export type WebhookRequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The value of header `name`, found whatever its letter case (HTTP header names are case-insensitive; Standard
 * Webhooks lower-cases them before lookup); a repeated header is joined with ", " as `Headers.get` does.
 */
export function headerValue(headers: WebhookRequestHeaders, name: string): string | undefined {
	if (isFetchHeaders(headers)) return headers.get(name) ?? undefined;
	const wanted = name.toLowerCase();
	const values: string[] = [];
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		if (typeof value === 'string') values.push(value);
		else values.push(...value);
	}
	return values.length === 0 ? undefined : values.join(', ');
}

function isFetchHeaders(headers: WebhookRequestHeaders): headers is Headers {
	return typeof Headers !== 'undefined' && headers instanceof Headers;
}
