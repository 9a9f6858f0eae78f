import type { UserWebhookEventType } from './catalogue.js';

/** A note's visibility as Misskey stores it (`note.visibility`). */
export type NoteVisibility = 'public' | 'home' | 'followers' | 'specified';

/** The webhook columns the `note` filters read. */
export interface NoteFilterColumns {
	excludeSpecifiedNotes: boolean;
	excludeFollowersNotes: boolean;
}

/** The event types whose body is a note as its author sees it, and so are left out as `note` is. */
const visibilityFilteredTypes: ReadonlySet<UserWebhookEventType> = new Set<UserWebhookEventType>(['note', 'noteEdited']);

/**
 * The matched webhooks that want this event: a `note` or `noteEdited` event of a direct (`specified`) note
 * skips webhooks with `excludeSpecifiedNotes`, of a followers-only note those with `excludeFollowersNotes`. Other event
 * types, other visibilities, and a note whose visibility the host did not say, go to every matched webhook. The list
 * itself is handed back when nothing is left out, so the common case allocates nothing.
 */
export function webhooksWantingEvent<Webhook extends NoteFilterColumns>(
	webhooks: readonly Webhook[],
	type: UserWebhookEventType,
	visibility: NoteVisibility | undefined,
): readonly Webhook[] {
	if (!visibilityFilteredTypes.has(type) || webhooks.length === 0) return webhooks;
	const excluded = exclusionOf(visibility);
	if (!excluded || !webhooks.some((webhook) => webhook[excluded])) return webhooks;
	return webhooks.filter((webhook) => !webhook[excluded]);
}

function exclusionOf(visibility: NoteVisibility | undefined): keyof NoteFilterColumns | null {
	switch (visibility) {
		case 'specified': return 'excludeSpecifiedNotes';
		case 'followers': return 'excludeFollowersNotes';
		default: return null;
	}
}
