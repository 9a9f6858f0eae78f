import type { FastifyPluginAsync } from 'fastify';
import { sharedAssets, staticPagePlugin, type PagePluginOptions } from '../browser-shared/page-plugin.js';

/** How a host serves the admin page (registered with `{ prefix: '/admin/webhooks' }`). */
export type AdminPagePluginOptions = PagePluginOptions;

const here = (name: string) => new URL(`./${name}`, import.meta.url);

/**
 * The admin page: index.html at `GET /`, its own files and the shared ones (DOM helpers, API client, dialogs) beside
 * them; nothing else is served.
 */
export const adminPagePlugin: FastifyPluginAsync<AdminPagePluginOptions> = staticPagePlugin({
	name: 'adminPagePlugin',
	index: here('index.html'),
	assets: {
		...sharedAssets,
		...Object.fromEntries(['admin.css', 'admin.js', 'webhook-status.js', 'system-webhooks.js', 'user-webhooks.js', 'delivery-log.js'].map((name) => [name, here(name)])),
	},
});
