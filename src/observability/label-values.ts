import { systemWebhookEventTypes, userWebhookEventTypes } from '../events/catalogue.js';
import { BLOCKED_ADDRESS_ERROR_CLASS, TIMEOUT_ERROR_CLASSES } from '../delivery/retry/outcome.js';
import { isPayloadFormat } from '../core/payload-format.js';

/**
 * Metric labels take values from fixed sets only, so a series count never grows with traffic: anything outside a set
 * is `other`. No URL, id, user or message ever becomes a label.
 */
export const OTHER = 'other';

const eventTypes: ReadonlySet<string> = new Set<string>([...userWebhookEventTypes, ...systemWebhookEventTypes]);

/** The classes an attempt without an HTTP response falls in; `tls` gathers every certificate and handshake error. */
export const ERROR_CLASSES: readonly string[] = [
	'timeout', 'blocked-address', 'tls', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', OTHER,
];

export function eventTypeLabel(type: string): string {
	return eventTypes.has(type) ? type : OTHER;
}

export function formatLabel(format: string): string {
	return isPayloadFormat(format) ? format : OTHER;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

export function errorClassLabel(errorClass: string): string {
	if (TIMEOUT_ERROR_CLASSES.includes(errorClass)) return 'timeout';
	if (errorClass === BLOCKED_ADDRESS_ERROR_CLASS) return 'blocked-address';
	if (TLS_CODE.test(errorClass)) return 'tls';
	return ERROR_CLASSES.includes(errorClass) ? errorClass : OTHER;
}
