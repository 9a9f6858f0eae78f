import type { FastifyPluginAsync } from 'fastify';
import { pageFiles, staticPagePlugin, type PagePluginOptions } from '../browser-shared/page-plugin.js';

/** How a host serves the users' webhook page (registered with `{ prefix: '/webhooks' }`). */
export type UserPagePluginOptions = PagePluginOptions;

/**
 * The users' own webhook page: index.html at `GET /`, its own files and the shared ones. Users sign in with MiAuth
 * (the host's `/miauth/:session` and `api/miauth/:session/check`) or a token.
 */
export const userPagePlugin: FastifyPluginAsync<UserPagePluginOptions> = staticPagePlugin({
	name: 'userPagePlugin',
	head: { title: 'Your webhooks', stylesheet: 'user-page.css', script: 'user-page.js' },
	...pageFiles(import.meta.url, ['user-page.css', 'user-page.js', 'webhook-list.js', 'webhook-editor.js', 'sign-in.js']),
});
