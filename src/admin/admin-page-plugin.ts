import type { FastifyPluginAsync } from 'fastify';
import { pageFiles, staticPagePlugin, type PagePluginOptions } from '../browser-shared/page-plugin.js';

/** How a host serves the admin page (registered with `{ prefix: '/admin/webhooks' }`). */
export type AdminPagePluginOptions = PagePluginOptions;

/** The admin page: index.html at `GET /`, its own files and the shared ones (DOM helpers, API client, dialogs). */
export const adminPagePlugin: FastifyPluginAsync<AdminPagePluginOptions> = staticPagePlugin({
	name: 'adminPagePlugin',
	head: { title: 'Webhooks administration', stylesheet: 'admin.css', script: 'admin.js' },
	...pageFiles(import.meta.url, ['admin.css', 'admin.js', 'webhook-status.js', 'system-webhooks.js', 'user-webhooks.js', 'delivery-log.js']),
});
