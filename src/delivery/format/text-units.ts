/**
 * Cutting user text to a service's length limit without breaking what a reader sees: the cut falls between grapheme
 * clusters (never inside a surrogate pair, a ZWJ emoji sequence or a flag) and never inside a Misskey custom emoji code
 * such as `:blobcat:` or `:blobcat@remote.example:` (nor inside a URL), and a cut text ends with an ellipsis.
 *
 * Lengths are counted in UTF-16 code units (`String.length`): never fewer than the code points or characters Discord
 * and Slack count, so a text within our count is within theirs.
 */

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

/**
 * `text` rendered by `render` (an escaper; each unit is rendered on its own, so an escape is never split) and, when
 * that is longer than `limit`, cut at a unit boundary with an ellipsis so the result is at most `limit` long.
 * A limit too small for even the ellipsis gives ''.
 */
export function fitText(text: string, limit: number, render: (unit: string) => string = (unit) => unit): string {
	const units = textUnits(text).map(render);
	const full = units.join('');
	if (full.length <= limit) return full;
	if (limit < ELLIPSIS.length) return '';
	let kept = '';
	for (const unit of units) {
		if (kept.length + unit.length + ELLIPSIS.length > limit) break;
		kept += unit;
	}
	// No trailing whitespace before the ellipsis: "word …" reads as a gap.
	return kept.trimEnd() + ELLIPSIS;
}
