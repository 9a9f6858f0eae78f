/**
 * The bounds of a webhook filter, which keep both its storage and its cost per event small: at most
 * `maxConditions` conditions, each a constant number of steps over a bounded path plus at most one pass over one text.
 */
export const filterLimits = {
	/** The filter as JSON text, in UTF-16 code units. */
	maxJsonLength: 8192,
	/** Levels of `all`, `any` and `not`, the outermost condition being level 1. */
	maxDepth: 6,
	/** Conditions in the whole filter, `all`, `any` and `not` included. */
	maxConditions: 64,
	/** Values in one `in`, `hashtag` or `channel` list. */
	maxValues: 64,
	/** Characters in one string value. */
	maxStringLength: 256,
	/** Keys in one path. */
	maxPathKeys: 8,
	/** Characters in one key of a path. */
	maxPathKeyLength: 64,
} as const;

/** The note visibilities a `visibility` condition names. */
export const noteVisibilities = ['public', 'home', 'followers', 'specified'] as const;
