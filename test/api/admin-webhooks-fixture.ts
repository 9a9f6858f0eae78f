import type { WebhookEntity } from '../../src/store/webhook.entity.js';
import type { ApiHarness, ApiResponse } from './api-harness.js';

/** `admin/webhooks/update`'s own NO_SUCH_WEBHOOK id, and the owner's refusal id. */
export const moderatorUpdateNoSuchWebhookId = '8934d563-6ca5-4391-ac13-5ae0a4210869';
export const pausedByModeratorErrorId = '01e5baba-81aa-4ffc-9ef9-799b4a59c271';

/** Misskey's ROLE_PERMISSION_DENIED, ACCESS_DENIED and INVALID_PARAM ids. */
export const rolePermissionDeniedId = 'd33d5333-db36-423d-a8f9-1a2b9549da41';
export const accessDeniedId = '56f35758-7dd5-468b-8439-5d6fb8ec9b8e';

/** A fresh moderator with a native token. */
export function newModerator(api: ApiHarness): { userId: string; token: string } {
	const { user, token } = api.host.addUserWithToken({ isModerator: true });
	return { userId: user.id, token };
}

/** Calls `admin/webhooks/update` and fails the test unless it replies 204. */
export async function moderate(api: ApiHarness, token: string, params: { webhookId: string; active: boolean; reason?: string }): Promise<ApiResponse> {
	const response = await api.call('admin/webhooks/update', params, { token });
	if (response.status !== 204) throw new Error(`admin/webhooks/update failed: ${response.status} ${response.rawBody}`);
	return response;
}

/** A webhook stored directly (no API limits, no announcement), for listing tests that need many rows. */
export async function storeHook(api: ApiHarness, userId: string, overrides: Partial<Pick<WebhookEntity, 'secret' | 'name' | 'latestStatus' | 'active'>> = {}): Promise<WebhookEntity> {
	const row = await api.store.create({ userId, name: overrides.name ?? 'stored hook', url: 'https://receiver.example/stored', secret: overrides.secret ?? '', on: ['note'] });
	const status = overrides.latestStatus === undefined ? {} : { latestStatus: overrides.latestStatus, latestSentAt: overrides.latestStatus === null ? null : new Date() };
	const changes = { ...status, ...(overrides.active === undefined ? {} : { active: overrides.active }) };
	if (Object.keys(changes).length > 0) await api.store.repository.update({ id: row.id }, changes);
	return (await api.store.findById(row.id))!;
}
