import type { AnyEndpoint } from '../endpoint.js';
import { createWebhookEndpoint } from './i/webhooks/create.js';
import { listWebhooksEndpoint } from './i/webhooks/list.js';
import { showWebhookEndpoint } from './i/webhooks/show.js';
import { updateWebhookEndpoint } from './i/webhooks/update.js';
import { deleteWebhookEndpoint } from './i/webhooks/delete.js';
import { testWebhookEndpoint } from './i/webhooks/test.js';
import { listUserWebhooksForModeratorsEndpoint } from './admin/webhooks/list.js';
import { updateUserWebhookAsModeratorEndpoint } from './admin/webhooks/update.js';
import { createSystemWebhookEndpoint } from './admin/system-webhook/create.js';
import { listSystemWebhooksEndpoint } from './admin/system-webhook/list.js';
import { showSystemWebhookEndpoint } from './admin/system-webhook/show.js';
import { updateSystemWebhookEndpoint } from './admin/system-webhook/update.js';
import { deleteSystemWebhookEndpoint } from './admin/system-webhook/delete.js';
import { testSystemWebhookEndpoint } from './admin/system-webhook/test.js';
import { ownersDeliveryLogEndpoints } from './i/webhooks/deliveries/read.js';
import { ownersDeliverySendEndpoints } from './i/webhooks/deliveries/send.js';
import { systemDeliveryLogEndpoints } from './admin/system-webhook/deliveries/read.js';
import { systemDeliverySendEndpoints } from './admin/system-webhook/deliveries/send.js';
import { moderatorsUserDeliveryLogEndpoints } from './admin/webhooks/deliveries/read.js';

/** Every endpoint the plugin serves, each at `POST /<name>`. */
export const apiEndpoints: readonly AnyEndpoint[] = [
	createWebhookEndpoint,
	listWebhooksEndpoint,
	showWebhookEndpoint,
	updateWebhookEndpoint,
	deleteWebhookEndpoint,
	testWebhookEndpoint,
	listUserWebhooksForModeratorsEndpoint,
	updateUserWebhookAsModeratorEndpoint,
	createSystemWebhookEndpoint,
	listSystemWebhooksEndpoint,
	showSystemWebhookEndpoint,
	updateSystemWebhookEndpoint,
	deleteSystemWebhookEndpoint,
	testSystemWebhookEndpoint,
	ownersDeliveryLogEndpoints.list,
	ownersDeliveryLogEndpoints.show,
	ownersDeliverySendEndpoints.redeliver,
	ownersDeliverySendEndpoints.recover,
	ownersDeliveryLogEndpoints.stats,
	systemDeliveryLogEndpoints.list,
	systemDeliveryLogEndpoints.show,
	systemDeliverySendEndpoints.redeliver,
	systemDeliverySendEndpoints.recover,
	systemDeliveryLogEndpoints.stats,
	moderatorsUserDeliveryLogEndpoints.list,
	moderatorsUserDeliveryLogEndpoints.show,
	moderatorsUserDeliveryLogEndpoints.stats,
];
