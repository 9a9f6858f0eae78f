import { WebhookEntity } from './webhook.entity.js';
import { SystemWebhookEntity } from './system-webhook.entity.js';

/** Every TypeORM entity the module owns: add them to the host's DataSource `entities`. */
export const webhookEntities = [WebhookEntity, SystemWebhookEntity];
