import type { WebhookDeliverJobData } from '../../job/job-data.js';
import { contentTypeHeaderOf, type TemplateContentType } from '../../../core/template-content-type.js';
import { webhookOptions } from '../../../core/webhook-options.js';
import { renderPayloadTemplate } from './payload-template.js';
import { describeProblem } from './template-error.js';

/** A job's body from its payload template: the bytes and their `Content-Type`, or why it could not be rendered. */
export type TemplateBody = { ok: true; body: string; contentType: string } | { ok: false; reason: string };

/**
 * The body of a job whose webhook has a payload template, rendered over `envelope` (Misskey's envelope of the job, which
 * the sender builds); null for a job without one. The same job always renders the same bytes, so every retry sends
 * (and signs) an identical body.
 */
export function templateBodyOf(job: WebhookDeliverJobData, envelope: () => unknown): TemplateBody | null {
	const { template } = job;
	if (typeof template !== 'string') return null;
	const contentType: TemplateContentType = job.templateContentType ?? webhookOptions.templateContentType.job.absent;
	const result = renderPayloadTemplate(template, contentType, envelope());
	if (!result.ok) return { ok: false, reason: describeProblem(template, { ...result.problem, eventType: job.type }) };
	return { ok: true, body: result.body, contentType: contentTypeHeaderOf(contentType) };
}
