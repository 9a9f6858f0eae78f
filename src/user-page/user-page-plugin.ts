import type { FastifyPluginAsync } from 'fastify';
import { sharedAssets, staticPagePlugin, type PagePluginOptions } from '../browser-shared/page-plugin.js';

/** How a host serves the users' webhook page (registered with `{ prefix: '/webhooks' }`). */
export type UserPagePluginOptions = PagePluginOptions;

const here = (name: string) => new URL(`./${name}`, import.meta.url);

/**
 * The users' own webhook page: index.html at `GET /`, its own files and the shared ones beside them; nothing else is
 * served. Users sign in with MiAuth (the host's `/miauth/:session` and `api/miauth/:session/check`) or a token.
 */
export const userPagePlugin: FastifyPluginAsync<UserPagePluginOptions> = staticPagePlugin({
	name: 'userPagePlugin',
	index: here('index.html'),
	assets: {
		...sharedAssets,
		...Object.fromEntries(['user-page.css', 'user-page.js', 'webhook-list.js', 'webhook-editor.js', 'sign-in.js'].map((name) => [name, here(name)])),
	},
});
