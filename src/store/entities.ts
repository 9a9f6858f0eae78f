import { WebhookEntity } from './webhook.entity.js';
import { SystemWebhookEntity } from './system-webhook.entity.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity.js';
import { WebhookEventIntakeEntity } from './webhook-event-intake.entity.js';

/** Every TypeORM entity the module owns: add them to the host's DataSource `entities`. */
export const webhookEntities = [WebhookEntity, SystemWebhookEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity, WebhookEventIntakeEntity];
