import { EntityGoneError, type HostAdapter } from '../../src/index.js';
import type { HostServices } from './services/index.js';

/** Misskey's base role policy `webhookLimit`; this host has no roles, so everyone gets it. */
export const WEBHOOK_LIMIT_PER_USER = 3;

/**
 * What the webhook module asks of this host: tokens (native and MiAuth app tokens), the webhook limit, thread mutes, Misskey-shaped packing, the
 * moderation log and the system webhooks to leave out of abuse-report events.
 */
export function createHostAdapter(services: HostServices): HostAdapter {
	const { users, notes, threadMuting, packer, moderationLog, abuseReportRecipients, accessTokens } = services;

	// The module only asks about rows it was told of; one that vanished since is gone (EntityGoneError): the module gives that body up
	// (any other failure, e.g. the database away, makes it try again later).
	async function userOrThrow(userId: string) {
		const user = await users.findById(userId);
		if (!user) throw new EntityGoneError(`user ${userId} does not exist`);
		return user;
	}

	return {
		async authenticate(token) {
			const user = await users.findByToken(token);
			if (user) return { user: { id: user.id, isSuspended: false }, isNativeToken: true, isModerator: user.isAdmin || user.isModerator };
			// An app token from MiAuth: limited to the permissions the user approved.
			const app = await accessTokens.findByToken(token);
			const owner = app ? await users.findById(app.userId) : null;
			if (!app || !owner) return null;
			return { user: { id: owner.id, isSuspended: false }, isNativeToken: false, permissions: app.permissions, isModerator: owner.isAdmin || owner.isModerator };
		},
		async webhookLimit() {
			return WEBHOOK_LIMIT_PER_USER;
		},
		isThreadMuted: (userId, threadId) => threadMuting.isMuted(userId, threadId),
		async packNote(noteId, viewerId) {
			const note = await notes.findById(noteId);
			if (!note) throw new EntityGoneError(`note ${noteId} does not exist`);
			return packer.note(note, { viewerId, detail: true });
		},
		packUserLite: async (userId) => packer.userLite(await userOrThrow(userId)),
		packUserDetailed: async (userId, viewerId) => packer.userDetailed(await userOrThrow(userId), viewerId),
		logModeratorAction: (moderatorId, type, info) => moderationLog.log(moderatorId, type, info),
		// Misskey leaves the system webhooks of inactive abuse-report notification recipients out of abuse-report events.
		systemWebhookIdsExcludedFromAbuseReports: () => abuseReportRecipients.inactiveWebhookIds(),
		// This host has no notifications; a full server would notify the owner in its own UI instead of logging.
		async notifyWebhookDisabled(userId, webhook, reason) {
			console.log(`[host] webhook ${webhook.id} ("${webhook.name}") of user ${userId} was paused: ${reason}`);
		},
	};
}
