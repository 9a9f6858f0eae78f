import type { SecretRotationState } from '../../signing/secret-rotation.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';

/**
 * Where the sender learns a webhook's secrets as they are now: the worker's registry, which holds every
 * active webhook in memory, so an attempt reads no row. `undefined` for a webhook it does not know (inactive, deleted,
 * or not yet heard of).
 */
export interface CurrentSecretsLookup {
	currentSecretsOf(kind: WebhookKindName, webhookId: string): SecretRotationState | undefined;
}
