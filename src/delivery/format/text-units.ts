/**
 * Cutting user text to a service's length limit without breaking what a reader sees: the cut falls between grapheme
 * clusters (never inside a surrogate pair, a ZWJ emoji sequence or a flag) and never inside a Misskey custom emoji code
 * such as `:blobcat:` or `:blobcat@remote.example:` (nor inside a URL), and a cut text ends with an ellipsis.
 *
 * Lengths are counted in UTF-16 code units (`String.length`): never fewer than the code points or characters Discord
 * and Slack count, so a text within our count is within theirs.
 */

import { Buffer } from 'node:buffer';

export const ELLIPSIS = '…';

// Kept whole: Misskey's custom emoji code (`:name:`, or `:name@host:` / `:name@.:` in reactions), and a URL, which a
// cut would break and an escaper must not touch.
const WHOLE_UNIT = /:[A-Za-z0-9_+-]+(?:@[A-Za-z0-9_.-]+)?:|https?:\/\/[^\s<>|]+/g;

/** Whether a unit of `textUnits` is a URL. */
export function isUrlUnit(unit: string): boolean {
	return /^https?:\/\//.test(unit);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text as the pieces a cut may fall between: custom emoji codes and URLs whole, the rest grapheme by grapheme. */
export function textUnits(text: string): string[] {
	const units: string[] = [];
	const pushGraphemes = (part: string) => {
		for (const { segment } of graphemes.segment(part)) units.push(segment);
	};
	let last = 0;
	for (const match of text.matchAll(WHOLE_UNIT)) {
		pushGraphemes(text.slice(last, match.index));
		units.push(match[0]);
		last = match.index + match[0].length;
	}
	pushGraphemes(text.slice(last));
	return units;
}

/** How a service counts a text's size: UTF-16 code units (the default), or bytes. */
export type TextMeasure = (text: string) => number;

/** UTF-8 bytes, for services whose limits are in bytes (ntfy's message). */
export const utf8Bytes: TextMeasure = (text) => Buffer.byteLength(text, 'utf8');

/** The UTF-8 bytes a text takes inside a JSON string, escapes included: for limits on a whole JSON body (Teams, Google Chat). */
export const jsonStringBytes: TextMeasure = (text) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

/**
 * `text` rendered by `render` (an escaper; each unit is rendered on its own, so an escape is never split) and, when
 * that is longer than `limit` as `measure` counts it, cut at a unit boundary with an ellipsis so the result is at most
 * `limit` long. A limit too small for even the ellipsis gives ''.
 */
export function fitText(text: string, limit: number, render: (unit: string) => string = (unit) => unit, measure: TextMeasure = (part) => part.length): string {
	const units = textUnits(text).map(render);
	const full = units.join('');
	if (measure(full) <= limit) return full;
	const ellipsis = measure(ELLIPSIS);
	if (limit < ellipsis) return '';
	let kept = '';
	let size = 0;
	for (const unit of units) {
		const unitSize = measure(unit);
		if (size + unitSize + ellipsis > limit) break;
		kept += unit;
		size += unitSize;
	}
	// No trailing whitespace before the ellipsis: "word …" reads as a gap.
	return kept.trimEnd() + ELLIPSIS;
}
