import { ApiError, defineApiError } from './api-errors.js';

/** The errors of moderators' pauses of user webhooks; ours, with ids of their own. */
export const webhookPauseApiErrors = {
	/** `i/webhooks/update` with `active: true` while a moderator's pause stands; nothing in that call is applied. */
	pausedByModerator: defineApiError({
		code: 'WEBHOOK_PAUSED_BY_MODERATOR',
		id: '01e5baba-81aa-4ffc-9ef9-799b4a59c271',
		message: 'This webhook was paused by a moderator; only a moderator can re-activate it.',
	}),
	/**
	 * Ours: `i/webhooks/test`, `i/webhooks/deliveries/redeliver` and `recover` on a webhook a moderator paused. The
	 * same error as `update`'s: a moderator's pause binds every send the owner could start, not only re-activation.
	 */
	pausedByModeratorOnSend: defineApiError({
		code: 'WEBHOOK_PAUSED_BY_MODERATOR',
		id: '01e5baba-81aa-4ffc-9ef9-799b4a59c271',
		message: 'This webhook was paused by a moderator; nothing can be sent to it until a moderator re-activates it.',
	}),
	/** `admin/webhooks/update` with an id no webhook has. */
	noSuchWebhookOnModeratorUpdate: defineApiError({
		code: 'NO_SUCH_WEBHOOK',
		id: '8934d563-6ca5-4391-ac13-5ae0a4210869',
		message: 'No such webhook.',
	}),
} as const;

/** Refuses a send the owner asked for (test, redeliver, recover) while a moderator's pause stands. */
export function refuseSendWhilePausedByModerator(webhook: { pausedBy: string | null }): void {
	if (webhook.pausedBy === 'moderator') throw new ApiError(webhookPauseApiErrors.pausedByModeratorOnSend);
}
