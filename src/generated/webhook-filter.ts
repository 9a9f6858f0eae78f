// Generated from schemas/webhook-filter.json by npm run generate; do not edit.
/**
 * Our addition, not in Misskey: a content filter on the event body, stored with a webhook and evaluated before a delivery is planned; an event it refuses is not delivered to that webhook. One operator per object. A path is dot-separated keys from the body (`note.user.host`, `note.files.0`). Bounds: 8 KB of JSON, 6 levels, 64 conditions, 64 values in `in`, 256 characters per string; see docs/filters.md.
 */
export type WebhookFilter =
	| FilterAll
	| FilterAny
	| FilterNot
	| FilterEquals
	| FilterIn
	| FilterExists
	| FilterContains
	| FilterHashtag
	| FilterHasFiles
	| FilterIsReply
	| FilterIsRenote
	| FilterIsQuote
	| FilterLocalOnly
	| FilterChannel
	| FilterVisibility;
/**
 * Dot-separated keys from the body, each 1 to 64 letters, digits, `_` or `-`; at most 8 of them.
 */
export type Path = string;
export type Scalar = string | number | boolean | null;

export interface FilterAll {
	/**
	 * Every condition holds.
	 *
	 * @minItems 1
	 */
	all: WebhookFilter[];
}
export interface FilterAny {
	/**
	 * At least one condition holds.
	 *
	 * @minItems 1
	 */
	any: WebhookFilter[];
}
export interface FilterNot {
	/**
	 * The condition does not hold.
	 */
	not: WebhookFilter;
}
export interface FilterEquals {
	path: Path;
	/**
	 * The value at the path is exactly this (strings compared as given).
	 */
	equals: string | number | boolean | null;
}
export interface FilterIn {
	path: Path;
	/**
	 * The value at the path is one of these.
	 *
	 * @minItems 1
	 * @maxItems 64
	 */
	in: Scalar[];
}
export interface FilterExists {
	path: Path;
	/**
	 * true: the path leads to a value other than null; false: it does not.
	 */
	exists: boolean;
}
export interface FilterContains {
	path: Path;
	/**
	 * The text at the path (or one text of a list there) contains this, ignoring case.
	 */
	contains: string;
}
export interface FilterHashtag {
	/**
	 * Dot-separated keys from the body, each 1 to 64 letters, digits, `_` or `-`; at most 8 of them.
	 */
	path?: string;
	/**
	 * Any of these hashtags (without `#`, case ignored): an element of the list at the path, or a whole `#tag` in the text there.
	 */
	hashtag: string | string[];
}
export interface FilterHasFiles {
	/**
	 * The note has (true) or has not (false) attached files.
	 */
	hasFiles: boolean;
}
export interface FilterIsReply {
	/**
	 * The note is (true) or is not (false) a reply.
	 */
	isReply: boolean;
}
export interface FilterIsRenote {
	/**
	 * The note is (true) or is not (false) a pure renote: a renote with no text, content warning, file or poll of its own.
	 */
	isRenote: boolean;
}
export interface FilterIsQuote {
	/**
	 * The note is (true) or is not (false) a quote: a renote with text, a content warning, files or a poll of its own.
	 */
	isQuote: boolean;
}
export interface FilterLocalOnly {
	/**
	 * The note is (true) or is not (false) local only (not federated).
	 */
	localOnly: boolean;
}
export interface FilterChannel {
	/**
	 * The note is in this channel, one of these channels, or (true) any channel, or (false) none.
	 */
	channel: boolean | string | string[];
}
export interface FilterVisibility {
	/**
	 * The note's visibility is this one, or one of these.
	 */
	visibility: ('public' | 'home' | 'followers' | 'specified') | ('public' | 'home' | 'followers' | 'specified')[];
}
