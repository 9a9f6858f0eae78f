/**
 * The bounds of a payload template, checked when it is saved and again at every render: a template within them renders
 * in bounded time and memory whatever the event holds (docs/limits-and-refusals.md).
 */
export const TEMPLATE_LIMITS = {
	/** The template's length, in characters. */
	templateLength: 16 * 1024,
	/** Sections inside sections (`{{#a}}{{#b}}…{{/b}}{{/a}}`). */
	sectionDepth: 4,
	/** Brackets and braces inside each other in a JSON template's own text. */
	jsonDepth: 32,
	/** Placeholders, sections and text pieces in the template. */
	tokens: 2000,
	/** Pieces one render may write (a section over a list writes its content once per item). */
	renderSteps: 20_000,
	/** The rendered body's length, in characters. */
	outputLength: 256 * 1024,
} as const;
