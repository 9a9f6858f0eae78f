import { Webhook1700000000000 } from './1700000000000-webhook.js';
import { SystemWebhook1700000200000 } from './1700000200000-system-webhook.js';
import { WebhookPause1700000300000 } from './1700000300000-webhook-pause.js';
import { DeliveryOptions1700000400000 } from './1700000400000-delivery-options.js';
import { WebhookDeliveryLog1700000510000 } from './1700000510000-webhook-delivery-log.js';
import { PayloadFormat1700000610000 } from './1700000610000-payload-format.js';
import { WebhookModeratorPause1700000620000 } from './1700000620000-webhook-moderator-pause.js';
import { WebhookEventIntake1700000630000 } from './1700000630000-webhook-event-intake.js';
import { WebhookFilter1700000710000 } from './1700000710000-webhook-filter.js';
import { PayloadTemplate1700000700000 } from './1700000700000-payload-template.js';
import { DeliveryRate1700000720000 } from './1700000720000-delivery-rate.js';

/**
 * Every migration the module owns, in the order they were added: pass them to the host's DataSource `migrations`. A
 * Misskey server names them by this position (src/misskey/migrations.ts), so a new one is appended, never inserted.
 */
export const webhookMigrations = [Webhook1700000000000, SystemWebhook1700000200000, WebhookPause1700000300000, DeliveryOptions1700000400000, WebhookDeliveryLog1700000510000, PayloadFormat1700000610000, WebhookModeratorPause1700000620000, WebhookEventIntake1700000630000, PayloadTemplate1700000700000, WebhookFilter1700000710000, DeliveryRate1700000720000];
