import { type ApiError } from './errors/api-errors.js';
import { checkWebhookUrl } from './params/webhook-url.js';
import { secretParam } from './params/text-params.js';
import { idParam } from './params/id-params.js';
import type { AllowedNetwork } from '../config/allowed-networks.js';
import { templateOverrideParams } from './template-preview.js';
import type { WebhookFilter } from '../generated/webhook-filter.js';
import { passesFilter } from '../events/content-filter.js';

const fifteenMinutesMs = 15 * 60 * 1000;

/** Misskey's limit on both test endpoints: 60 calls per 15 minutes. */
export const testEndpointLimit = { durationMs: fifteenMinutesMs, max: 60 } as const;

/** The webhook URL param's bounds, as the `url` column holds them. */
const webhookUrlParam = { type: 'string', minLength: 1, maxLength: 1024 } as const;

/** The params both test endpoints take: the webhook, an event type of its kind, and a one-off override. */
export function testEndpointParams<const Types extends readonly string[]>(eventTypes: Types) {
	return {
		type: 'object',
		properties: {
			webhookId: idParam,
			type: { type: 'string', enum: eventTypes },
			override: {
				type: 'object',
				properties: {
					// Checked like the fields they stand in for: a test send must not carry what the webhook could not store.
					url: webhookUrlParam,
					secret: secretParam,
					...templateOverrideParams,
				},
			},
		},
		required: ['webhookId', 'type'],
	} as const;
}

/** The enqueue overrides of a test send: one attempt, to the override's URL (checked for the webhook's `format`) and secret when given. */
export function testSendOverrides(override: { url?: string; secret?: string } | undefined, allowedNetworks: readonly AllowedNetwork[], format: string | null | undefined): { attempts: 1; url?: string; secret?: string } {
	if (override?.url !== undefined) {
		const urlError: ApiError | null = checkWebhookUrl(override.url, allowedNetworks, format);
		if (urlError) throw urlError;
	}
	return { attempts: 1, url: override?.url, secret: override?.secret };
}

/**
 * What a test send answers: Misskey's nothing (204) for a plain webhook; the rendered body for a templated one
 * (`preview`); and for a webhook with a content filter, whether the dummy event passes it (`passesFilter`). The dummy is
 * sent either way, as `active` and `on` are ignored: the answer says what the filter would do with such an event.
 */
export function testSendAnswer<Preview extends object>(filter: WebhookFilter | null | undefined, body: unknown, preview: Preview | undefined): (Preview & { passesFilter?: boolean }) | { passesFilter: boolean } | undefined {
	if (!filter) return preview;
	return { ...preview, passesFilter: passesFilter(filter, body) };
}
