import { defineEndpoint, ok } from '../api/endpoint.js';

/** `admin/show-moderation-logs` (moderators only): the newest entries first, `{ id, createdAt, userId, type, info }` (a slice of Misskey's). */
export const adminShowModerationLogsEndpoint = defineEndpoint({
	name: 'admin/show-moderation-logs',
	requireCredential: true,
	requireModerator: true,
	params: {
		type: 'object',
		properties: {
			limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
			type: { type: 'string' },
		},
	},
	async handler(params: { limit: number; type?: string }, _me, services) {
		const entries = await services.moderationLog.list({ limit: params.limit, type: params.type });
		return ok(entries.map((entry) => ({ id: entry.id, createdAt: entry.createdAt.toISOString(), userId: entry.userId, type: entry.type, info: entry.info })));
	},
});
