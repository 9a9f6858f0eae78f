import type { SystemWebhookEventType, UserWebhookEventType } from '../events/catalogue.js';
import type { WebhookKindName } from '../core/webhook-kind.js';
import { TEMPLATE_CONTENT_TYPES, type TemplateContentType } from '../core/template-content-type.js';
import type { WebhookDeliverJobData } from '../delivery/job/job-data.js';
import { buildWebhookEnvelope } from '../delivery/sender/envelope.js';
import { templateBodyOf } from '../delivery/format/template/template-body.js';
import { checkTemplateSettings } from './params/template-param.js';

/** The test endpoints' `override` keys for a template: try one before saving it (null: send without the saved one). */
export const templateOverrideParams = {
	template: { type: 'string', nullable: true },
	templateContentType: { type: 'string', enum: TEMPLATE_CONTENT_TYPES },
} as const;

interface Templated {
	id: string;
	template: string | null;
	templateContentType: TemplateContentType;
	format: string;
}

/**
 * The webhook a test send goes to: as stored, or with the override's template, checked for `type` as a save would
 * check it (INVALID_PARAM saying where, and nothing is sent).
 */
export function testTarget<Webhook extends Templated>(
	kind: WebhookKindName,
	webhook: Webhook,
	type: UserWebhookEventType | SystemWebhookEventType,
	override: { template?: string | null; templateContentType?: TemplateContentType } | undefined,
	envelope: { serverUrl: string; userId?: string },
): Webhook {
	const target = {
		...webhook,
		template: override?.template !== undefined ? override.template : webhook.template,
		templateContentType: override?.templateContentType ?? webhook.templateContentType,
	};
	checkTemplateSettings(kind, { template: target.template, templateContentType: target.templateContentType, format: target.format, on: [type] }, { serverUrl: envelope.serverUrl, hookId: webhook.id, userId: envelope.userId });
	return target;
}

/** What a test send of a templated webhook answers: the body it sends and its `Content-Type`; nothing for one without a template. */
export interface TestSendPreview {
	type: string;
	contentType: string;
	body: string;
}

export function testSendPreview(job: WebhookDeliverJobData | undefined, serverUrl: string): TestSendPreview | undefined {
	if (!job) return undefined;
	const rendered = templateBodyOf(job, () => buildWebhookEnvelope(job, serverUrl));
	if (!rendered?.ok) return undefined;
	return { type: job.type, contentType: rendered.contentType, body: rendered.body };
}
