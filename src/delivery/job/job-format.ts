import type { WebhookDeliverJobData } from './job-data.js';
import { webhookOptions } from '../../core/webhook-options.js';

/**
 * The payload format a job's data names, read defensively (a job queued before formats existed names none, and Redis
 * may hold anything): a job naming none is Misskey's. Metrics bound the value to the known formats.
 */
export function jobFormatOf(data: WebhookDeliverJobData): string {
	const { format } = data as { format?: unknown };
	return typeof format === 'string' && format !== '' ? format : webhookOptions.format.job.absent;
}
