import type { HostAdapter } from '../host.js';
import type { NoteWebhookBody } from '../generated/events/note.js';
import type { FollowWebhookBody } from '../generated/events/follow.js';
import type { FollowedWebhookBody } from '../generated/events/followed.js';
import type { ReactionWebhookBody } from '../generated/events/reaction.js';
import type { NoteDeletedWebhookBody } from '../generated/events/note-deleted.js';
import { bodyKey, type BodySpec } from './rules.js';

/**
 * A user event body as sent; `mention`/`reply`/`renote`/`noteEdited` share the note shape, `unfollow` and
 * `followRequestAccepted` the follow shape, `followRequestReceived` the followed shape.
 */
export type UserEventBody = NoteWebhookBody | FollowWebhookBody | FollowedWebhookBody | ReactionWebhookBody | NoteDeletedWebhookBody;

/** The host packers a body needs. */
export type BodyPackingHost = Pick<HostAdapter, 'packNote' | 'packUserLite' | 'packUserDetailed'>;

/** Packs the bodies of one host event, each distinct body once (note, reply and renote share one object). */
export class BodyPacker {
	private readonly packed = new Map<string, Promise<UserEventBody>>();

	constructor(private readonly host: BodyPackingHost) {}

	/** Takes a body the host handed over already packed, so `pack(spec)` answers it without asking the host. */
	known(spec: BodySpec, body: UserEventBody): void {
		this.packed.set(bodyKey(spec), Promise.resolve(body));
	}

	/** The body for `spec`, packed on first request and shared afterwards; rejects when the host's packer throws. */
	pack(spec: BodySpec): Promise<UserEventBody> {
		const key = bodyKey(spec);
		let body = this.packed.get(key);
		if (!body) {
			body = this.packFresh(spec);
			// Bodies are packed ahead of their turn; the caller handles a rejection when it awaits, so none goes unhandled.
			body.catch(() => {});
			this.packed.set(key, body);
		}
		return body;
	}

	private async packFresh(spec: BodySpec): Promise<UserEventBody> {
		switch (spec.kind) {
			case 'note':
				return { note: await this.host.packNote(spec.noteId, spec.viewerId) };
			case 'userDetailed':
				return { user: await this.host.packUserDetailed(spec.userId, spec.viewerId) };
			case 'userLite':
				return { user: await this.host.packUserLite(spec.userId) };
			case 'reaction': {
				const [note, user] = await Promise.all([this.host.packNote(spec.noteId, null), this.host.packUserLite(spec.userId)]);
				return { note, reaction: spec.reaction, user };
			}
			case 'deletedNote':
				return { note: { id: spec.noteId, userId: spec.userId, user: await this.host.packUserLite(spec.userId), deletedAt: spec.deletedAt } };
		}
	}
}
