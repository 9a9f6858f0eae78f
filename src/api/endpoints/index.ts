import type { AnyEndpoint } from '../endpoint.js';
import { createWebhookEndpoint } from './i/webhooks/create.js';
import { listWebhooksEndpoint } from './i/webhooks/list.js';
import { showWebhookEndpoint } from './i/webhooks/show.js';
import { updateWebhookEndpoint } from './i/webhooks/update.js';
import { deleteWebhookEndpoint } from './i/webhooks/delete.js';
import { testWebhookEndpoint } from './i/webhooks/test.js';

/** Every endpoint the plugin serves, each at `POST /<name>`. */
export const apiEndpoints: readonly AnyEndpoint[] = [
	createWebhookEndpoint,
	listWebhooksEndpoint,
	showWebhookEndpoint,
	updateWebhookEndpoint,
	deleteWebhookEndpoint,
	testWebhookEndpoint,
];
