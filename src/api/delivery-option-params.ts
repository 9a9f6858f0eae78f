import type { RetryPolicyName } from '../core/retry-policy-name.js';
import { PAYLOAD_FORMATS } from '../core/payload-format.js';

/** The retry presets an endpoint accepts, in the order the README lists them. */
export const retryPolicyNames = ['standard', 'misskey'] as const satisfies readonly RetryPolicyName[];

/**
 * Params of the delivery options both kinds of webhook take (the body's format), without defaults: `create` fills
 * them from the options, `update` leaves an absent one unchanged.
 */
export const deliveryOptionParams = {
	retryPolicy: { type: 'string', enum: retryPolicyNames },
	sendSecretHeader: { type: 'boolean' },
	format: { type: 'string', enum: PAYLOAD_FORMATS },
} as const;

/** Params of the `note` visibility filters user webhooks take, without defaults. */
export const noteFilterParams = {
	excludeSpecifiedNotes: { type: 'boolean' },
	excludeFollowersNotes: { type: 'boolean' },
} as const;
