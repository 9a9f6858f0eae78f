import assert from 'node:assert/strict';
import type { ApiHarness } from './api-harness.js';

/** Valid `admin/system-webhook/create` params; tests break one thing at a time. The secret is distinctive, so it can be searched for. */
export const validSystemCreateParams = {
	isActive: true,
	name: 'moderation feed',
	on: ['abuseReport', 'userCreated'],
	url: 'https://receiver.example/system',
	secret: 'sys-secret-7f3c9a',
};

/** A moderator (an administrator or moderator role, as the host reports it) with a native token. */
export function newModerator(api: ApiHarness): { userId: string; token: string } {
	const { user, token } = api.host.addUserWithToken({ isModerator: true });
	return { userId: user.id, token };
}

/** Creates a system webhook through the API and returns the packed reply, failing the test if it is refused. */
export async function createSystemHook(api: ApiHarness, token: string, params: Record<string, unknown> = {}): Promise<any> {
	const response = await api.call('admin/system-webhook/create', { ...validSystemCreateParams, ...params }, { token });
	assert.equal(response.status, 200, response.rawBody);
	return response.body;
}

/** The error envelope's code and id, and the HTTP status, for compact assertions. */
export function errorOf(response: { status: number; body: any }): { status: number; code: string; id: string } {
	return { status: response.status, code: response.body?.error?.code, id: response.body?.error?.id };
}

/** NO_SUCH_SYSTEM_WEBHOOK as Misskey's `show` answers it: kind server, HTTP 404. */
export const noSuchSystemWebhook = { status: 404, code: 'NO_SUCH_SYSTEM_WEBHOOK', id: '38dd1ffe-04b4-6ff5-d8ba-4e6a6ae22c9d' };
