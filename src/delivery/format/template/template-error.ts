/** Why a template was refused or failed to render, and where: an offset into the template's text. */
export interface TemplateProblem {
	reason: string;
	/** The character offset in the template the problem starts at. */
	offset: number;
	/** The event whose sample (or whose delivery) showed the problem, when one did. */
	eventType?: string;
}

/** A problem as people read it: 1-based line and column of its offset. */
export interface TemplatePlace {
	line: number;
	column: number;
}

/** The line and column (both from 1) of `offset` in `template`; columns count UTF-16 units, as editors mostly do. */
export function placeOf(template: string, offset: number): TemplatePlace {
	const before = template.slice(0, Math.max(0, Math.min(offset, template.length)));
	const lines = before.split('\n');
	return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** The problem in one line for logs and the attempt log: `line 3, column 7: …`. */
export function describeProblem(template: string, problem: TemplateProblem): string {
	const { line, column } = placeOf(template, problem.offset);
	const event = problem.eventType ? ` (${problem.eventType} event)` : '';
	return `line ${line}, column ${column}${event}: ${problem.reason}`;
}
