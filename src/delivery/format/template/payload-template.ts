import type { TemplateContentType } from '../../../core/template-content-type.js';
import { compileTemplate, type CompiledTemplate } from './compile.js';
import { renderTemplate, type RenderResult } from './render.js';

// Compiled templates by content type and text: a webhook's every delivery renders the same template, and parsing it
// again each time would be waste. Bounded, oldest out first.
const compiled = new Map<string, CompiledTemplate>();
const CACHE_SIZE = 256;

/**
 * Renders a webhook's payload template over one delivery's envelope. A template refused now (it was valid when saved,
 * but a later version may bound it tighter) is a failure like any other: the caller sends nothing.
 */
export function renderPayloadTemplate(source: string, contentType: TemplateContentType, envelope: unknown): RenderResult {
	const key = `${contentType}\n${source}`;
	let template = compiled.get(key);
	if (!template) {
		const result = compileTemplate(source, contentType);
		if (!result.ok) return result;
		template = result.template;
		if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
		compiled.set(key, template);
	}
	return renderTemplate(template, envelope);
}
