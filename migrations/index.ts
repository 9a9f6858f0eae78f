import { Webhook1700000000000 } from './1700000000000-webhook.js';

/** Every migration the module owns, oldest first: pass them to the host's DataSource `migrations`. */
export const webhookMigrations = [Webhook1700000000000];
