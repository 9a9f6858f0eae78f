import type { EventView, UserText } from './event-view.js';
import { fitText, type TextMeasure } from './text-units.js';

/**
 * The body of a push notification (ntfy, Gotify): plain text, no markup, so nothing in it needs escaping and nothing
 * can ping anyone. These services cannot hide text behind a click, so, as in Slack, text behind a CW is left out and the
 * CW is shown with the note's address.
 */
export function plainMessage(view: EventView, limit: number, measure: TextMeasure): string {
	// Fields are short lines; a long one (a moderation note) gets cut so the text keeps at least half of the room.
	const fieldLines = view.fields.map((field) => fitText(`${field.name}: ${field.value}`, Math.floor(limit / 4), undefined, measure));
	let fields = fieldLines.join('\n');
	while (fieldLines.length > 0 && measure(fields) > limit / 2) {
		fieldLines.pop();
		fields = fieldLines.join('\n');
	}
	const separator = fields === '' ? '' : '\n\n';
	const room = limit - measure(fields) - measure(separator);
	const text = view.text ? plainText(view.text, view.url, room, measure) : '';
	if (text === '') return fields === '' ? view.title : fields;
	return `${text}${separator}${fields}`;
}

const CW_PREFIX = 'CW: ';

/** A text within `limit`: as is, or its CW alone and where to read the note, since the text cannot be hidden. */
export function plainText(text: UserText, url: string, limit: number, measure: TextMeasure): string {
	if (text.cw === null) return fitText(text.text, limit, undefined, measure);
	const pointer = text.text === '' ? '' : `\n(The text is behind the CW: ${url})`;
	return CW_PREFIX + fitText(text.cw, limit - measure(CW_PREFIX) - measure(pointer), undefined, measure) + pointer;
}
