import { isIP } from 'node:net';
import { checkAddress } from '../../delivery/guard/address-guard.js';
import type { AllowedNetwork } from '../../config/allowed-networks.js';
import { ApiError, webhookApiErrors } from '../errors/api-errors.js';
import { missingFormatTarget } from '../../delivery/format/format-target.js';

/** Which rule a refused webhook URL broke: `info.reason` of INVALID_WEBHOOK_URL. */
export type WebhookUrlRule = 'unparsable' | 'unsupported-scheme' | 'credentials' | 'blocked-address' | 'format-target';

const defaultPorts: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

function refuse(reason: WebhookUrlRule, detail: string, extra: Record<string, unknown> = {}): ApiError {
	return new ApiError(webhookApiErrors.invalidWebhookUrl, { reason, detail, ...extra });
}

/**
 * Checks a webhook URL when it is saved or used for a test send: it must parse, be http(s), carry no
 * credentials, and not name a literal address the guard blocks unless `allowlist` allows it. The host is read as
 * WHATWG URL normalizes it, so `http://2130706433/` and `http://0x7f.1/` are 127.0.0.1. Host names are not resolved
 * here: the guard checks what they resolve to when delivering. With `format`, the URL must also name what that format's
 * service needs (`checkFormatTarget`).
 */
export function checkWebhookUrl(url: string, allowlist: readonly AllowedNetwork[], format?: string | null): ApiError | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return refuse('unparsable', 'the URL does not parse');
	}
	const defaultPort = defaultPorts[parsed.protocol];
	if (defaultPort === undefined) return refuse('unsupported-scheme', `the scheme must be http or https, not ${parsed.protocol.slice(0, -1)}`);
	// Credentials would travel in the clear in every delivery, and no receiver needs them: the secret authenticates.
	if (parsed.username !== '' || parsed.password !== '') return refuse('credentials', 'the URL must not contain a user name or password');
	const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
	if (isIP(host) !== 0) {
		const port = parsed.port === '' ? defaultPort : Number(parsed.port);
		const verdict = checkAddress(host, port, allowlist);
		if (!verdict.allowed) return refuse('blocked-address', verdict.reason, { addressClass: verdict.addressClass });
	}
	return checkFormatTarget(format, url);
}

/** Refuses a URL that lacks what its format's service needs (Telegram's chat, ntfy's topic); null when nothing is missing. */
export function checkFormatTarget(format: string | null | undefined, url: string): ApiError | null {
	const missing = missingFormatTarget(format, url);
	return missing === null ? null : refuse('format-target', missing, { format });
}
