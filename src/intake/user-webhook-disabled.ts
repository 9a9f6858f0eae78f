import type { HostAdapter } from '../host.js';
import type { WebhookRegistry } from '../registry/webhook-registry.js';
import type { SystemWebhookDelivery } from '../delivery/system-webhook-delivery.js';
import type { UserLite } from '../generated/user-lite.js';
import type { UserWebhookDisabledWebhookBody } from '../generated/events/system/user-webhook-disabled.js';

/** A user webhook the module just paused, as moderators hear of it: never its secret. */
export interface DisabledUserWebhook {
	webhook: UserWebhookDisabledWebhookBody['webhook'];
	reason: string;
	pausedBy: UserWebhookDisabledWebhookBody['pausedBy'];
}

/** What the event needs: the registry to match, the system queue, the host to pack the owner. */
export interface UserWebhookDisabledEventDependencies {
	registry: Pick<WebhookRegistry, 'matchSystem'>;
	delivery: Pick<SystemWebhookDelivery, 'enqueue'>;
	host: Pick<HostAdapter, 'packUserLite'>;
	/** Told when the owner cannot be packed; the event then goes out with `user: null`. */
	onPackingFailure?: (error: unknown) => void;
}

/**
 * The system event `userWebhookDisabled` (ours): queues one delivery to every active system webhook
 * subscribed to it. The owner is packed only when some webhook wants the event; one that cannot be packed is null (as
 * Misskey does for an abuse report's users). Rejects when queueing fails; the caller logs it.
 */
export function createUserWebhookDisabledEvent(deps: UserWebhookDisabledEventDependencies): (disabled: DisabledUserWebhook) => Promise<void> {
	return async (disabled) => {
		const webhooks = deps.registry.matchSystem('userWebhookDisabled');
		if (webhooks.length === 0) return;
		const body: UserWebhookDisabledWebhookBody = {
			webhook: { id: disabled.webhook.id, userId: disabled.webhook.userId, name: disabled.webhook.name, url: disabled.webhook.url },
			user: await packOwner(deps, disabled.webhook.userId),
			reason: disabled.reason,
			pausedBy: disabled.pausedBy,
		};
		await deps.delivery.enqueue(webhooks, 'userWebhookDisabled', body);
	};
}

async function packOwner(deps: UserWebhookDisabledEventDependencies, userId: string): Promise<UserLite | null> {
	try {
		return await deps.host.packUserLite(userId);
	} catch (error) {
		deps.onPackingFailure?.(error);
		return null;
	}
}
