import { randomUUID } from 'node:crypto';
import { isSystemWebhookEventType, isUserWebhookEventType, type SystemWebhookEventType, type UserWebhookEventType } from '../../events/catalogue.js';
import type { TemplateContentType } from '../../core/template-content-type.js';
import type { WebhookKindName } from '../../core/webhook-kind.js';
import { compileTemplate, type CompiledTemplate } from '../../delivery/format/template/compile.js';
import { unknownFields } from '../../delivery/format/template/schema-fields.js';
import { renderTemplate } from '../../delivery/format/template/render.js';
import { placeOf, type TemplateProblem } from '../../delivery/format/template/template-error.js';
import { ApiError, commonApiErrors } from '../errors/api-errors.js';
import { templateSampleBodies } from './template-samples.js';

type EventType = UserWebhookEventType | SystemWebhookEventType;

/** A webhook's template as it would be stored: the template, what it renders to, the events it is rendered for. */
export interface TemplateSettings {
	template: string | null;
	templateContentType: TemplateContentType;
	format: string;
	/** As stored: a type the module does not know (a fork client's own) never gets a delivery, so it is not rendered for. */
	on: readonly string[];
}

/** The params that change what a template renders for: given ones replace the stored ones. */
export type TemplateParams = Partial<{ template: string | null; templateContentType: TemplateContentType; format: string; on: readonly string[] }>;

/** Whether an update touches the template or what it is rendered for, and so must check it again. */
export function touchesTemplate(params: TemplateParams): boolean {
	return params.template !== undefined || params.templateContentType !== undefined || params.format !== undefined || params.on !== undefined;
}

/** The settings a create or update leaves: the params given over `stored` (a create's defaults, or the row as it is). */
export function templateSettingsAfter(stored: TemplateSettings, params: TemplateParams): TemplateSettings {
	return {
		template: params.template !== undefined ? params.template : stored.template,
		templateContentType: params.templateContentType ?? stored.templateContentType,
		format: params.format ?? stored.format,
		on: params.on ?? stored.on,
	};
}

/** What the sample envelopes carry besides the body. */
export interface SampleEnvelopeFields {
	serverUrl: string;
	hookId: string;
	userId?: string;
}

/**
 * Refuses a template that would not render: it does not parse, passes a limit, reads a field an event it is rendered
 * for does not have, or renders to something else than JSON for any subscribed event's samples. The error is
 * INVALID_PARAM naming `template`, the reason, and where: line and column (and the event, when one showed it).
 * A template stands in for the format, so it goes with the `misskey` format only.
 */
export function checkTemplateSettings(kind: WebhookKindName, settings: TemplateSettings, envelope: SampleEnvelopeFields, now: Date = new Date()): void {
	const { template } = settings;
	if (template === null) return;
	if (settings.format !== 'misskey') {
		throw new ApiError(commonApiErrors.invalidParam, { param: 'template', reason: `a template makes the body instead of a format: set format to misskey (it is ${settings.format}) or template to null` });
	}
	const compiled = compileTemplate(template, settings.templateContentType);
	if (!compiled.ok) throw templateError(template, compiled.problem);
	const types = settings.on.filter((type): type is EventType => (kind === 'user' ? isUserWebhookEventType(type) : isSystemWebhookEventType(type)));
	const unknown = unknownFields(compiled.template.pieces, types, kind);
	if (unknown) throw templateError(template, unknown);
	for (const type of types) {
		for (const body of templateSampleBodies(kind, type, now)) {
			const rendered = renderTemplate(compiled.template, sampleEnvelope(kind, type, body, envelope, now));
			if (!rendered.ok) throw templateError(template, { ...rendered.problem, eventType: type });
		}
	}
}

/** A template rendered over one sample event, for the test endpoints' preview; the caller checked it first. */
export function renderSample(kind: WebhookKindName, compiled: CompiledTemplate, type: EventType, body: unknown, envelope: SampleEnvelopeFields & { eventId: string; createdAt: number }): string {
	const rendered = renderTemplate(compiled, { server: envelope.serverUrl, hookId: envelope.hookId, ...(kind === 'user' ? { userId: envelope.userId } : {}), eventId: envelope.eventId, createdAt: envelope.createdAt, type, body });
	if (!rendered.ok) throw templateError(compiled.source, { ...rendered.problem, eventType: type });
	return rendered.body;
}

// The envelope in Misskey's key order, as the sender builds it.
function sampleEnvelope(kind: WebhookKindName, type: EventType, body: unknown, fields: SampleEnvelopeFields, now: Date): unknown {
	return {
		server: fields.serverUrl,
		hookId: fields.hookId,
		...(kind === 'user' ? { userId: fields.userId ?? '' } : {}),
		eventId: randomUUID(),
		createdAt: now.getTime(),
		type,
		body,
	};
}

function templateError(template: string, problem: TemplateProblem): ApiError {
	const { line, column } = placeOf(template, problem.offset);
	return new ApiError(commonApiErrors.invalidParam, {
		param: 'template',
		reason: problem.reason,
		line,
		column,
		...(problem.eventType ? { eventType: problem.eventType } : {}),
	});
}
