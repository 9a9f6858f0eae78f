/**
 * The content types a payload template renders to: JSON, whose placeholders are escaped as JSON and whose result must
 * parse, or plain text, whose placeholders are inserted as they are. The renderer is in `delivery/format/template/`.
 */
export const TEMPLATE_CONTENT_TYPES = ['application/json', 'text/plain'] as const;

export type TemplateContentType = (typeof TEMPLATE_CONTENT_TYPES)[number];

/** The `Content-Type` header a rendered template is sent with. */
export function contentTypeHeaderOf(type: TemplateContentType): string {
	return type === 'text/plain' ? 'text/plain; charset=utf-8' : 'application/json';
}
