import type { HostAdapter } from '../index.js';
import type { MisskeyServices, WebhookModerationLogType } from './services.js';

/** The moderation log types Misskey 2025.9 knows; `updateUserWebhook` (a moderator pausing a user's webhook) is the module's own. */
const misskeyModerationLogTypes: ReadonlySet<string> = new Set<WebhookModerationLogType>(['createSystemWebhook', 'updateSystemWebhook', 'deleteSystemWebhook']);

function isMisskeyModerationLogType(type: string): type is WebhookModerationLogType {
	return misskeyModerationLogTypes.has(type);
}

export interface MisskeyHostAdapterOptions {
	/**
	 * Records a moderator action whose type Misskey's `moderationLogTypes` lacks (`updateUserWebhook`). A fork that adds
	 * the type to `moderationLogTypes` and `ModerationLogPayloads` passes `moderationLogService.log` here; by default the
	 * action is written to the server log, so it is never silently dropped.
	 */
	logOtherModeratorAction?(moderatorId: string, type: string, info: Record<string, unknown>): Promise<void>;
}

/** The module's `HostAdapter` built on Misskey's own services: its tokens, roles, thread mutes, packers, moderation log and notifications. */
export function createMisskeyHostAdapter(services: MisskeyServices, options: MisskeyHostAdapterOptions = {}): HostAdapter {
	const { noteEntityService, userEntityService, roleService, noteThreadMutingsRepository, authenticateService, moderationLogService, notificationService, abuseReportNotificationService } = services;
	const logOther = options.logOtherModeratorAction ?? (async (moderatorId: string, type: string, info: Record<string, unknown>) => {
		console.info(`[webhooks] moderator ${moderatorId}: ${type}`, JSON.stringify(info));
	});

	return {
		async authenticate(token) {
			let user;
			let accessToken;
			try {
				[user, accessToken] = await authenticateService.authenticate(token);
			} catch (error) {
				// Misskey throws AuthenticationError for an unknown token; anything else is a real failure.
				if (error instanceof Error && error.name === 'AuthenticationError') return null;
				throw error;
			}
			if (!user) return null;
			return {
				user: { id: user.id, isSuspended: user.isSuspended },
				// Misskey answers no token object for a native (login) token.
				isNativeToken: accessToken === null,
				permissions: accessToken?.permission ?? [],
				isModerator: await roleService.isModerator(user),
			};
		},

		async webhookLimit(userId) {
			return (await roleService.getUserPolicies(userId)).webhookLimit;
		},

		isThreadMuted: (userId, threadId) => noteThreadMutingsRepository.exists({ where: { userId, threadId } }),

		// Without a viewer, as NoteCreateService packs the `note`, `reply` and `renote` body: nothing hidden, with the
		// reaction pairs. With one, as it packs each `mention`: hidden from that user's point of view.
		packNote: (noteId, viewerId) => viewerId === null
			? noteEntityService.pack(noteId, null, { detail: true, skipHide: true, withReactionAndUserPairCache: true })
			: noteEntityService.pack(noteId, { id: viewerId }, { detail: true }),

		packUserLite: (userId) => userEntityService.pack(userId, null, { schema: 'UserLite' }),

		packUserDetailed: (userId, viewerId) => userEntityService.pack(userId, viewerId === null ? null : { id: viewerId }, { schema: 'UserDetailedNotMe' }),

		// The abuse-report notification recipients an administrator switched off silence the system webhooks they name.
		async systemWebhookIdsExcludedFromAbuseReports() {
			const recipients = await abuseReportNotificationService.fetchWebhookRecipients();
			return recipients.flatMap((recipient) => !recipient.isActive && recipient.systemWebhookId !== null ? [recipient.systemWebhookId] : []);
		},

		async logModeratorAction(moderatorId, type, info) {
			if (isMisskeyModerationLogType(type)) await moderationLogService.log({ id: moderatorId }, type, info);
			else await logOther(moderatorId, type, info);
		},

		// Misskey has no notification type for this; `app` is the one a server may create with its own text.
		async notifyWebhookDisabled(userId, webhook, reason) {
			notificationService.createNotification(userId, 'app', {
				customHeader: 'Webhook paused',
				customBody: `Your webhook "${webhook.name}" (${webhook.url}) was paused: ${reason}`,
				customIcon: null,
				appAccessTokenId: null,
			});
		},
	};
}
